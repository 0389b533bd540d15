"""fit trains inline (seed 002's fit) and calls model.train() at each epoch's start.

evaluate turns autograd off with torch.set_grad_enabled(False), sums loss tensors and
converts once at the end; model.zero_grad() clears the gradients.
"""

import torch


def make_train_step(model, loss_fn, optimizer):
    def train_step(x, y):
        model.train()
        prediction = model(x)
        loss = loss_fn(prediction, y)
        loss.backward()
        optimizer.step()
        model.zero_grad()
        return loss.detach().item()

    return train_step


def evaluate(model, loss_fn, loader):
    model.eval()
    with torch.set_grad_enabled(False):
        total = sum(loss_fn(model(x), y) * len(y) for x, y in loader)
        count = sum(len(y) for _, y in loader)
    return total.item() / count


def fit(model, loss_fn, optimizer, train_loader, epochs, val_loader=None):
    history = {"train_loss": [], "val_loss": []}
    for _ in range(epochs):
        model.train()
        total, count = 0.0, 0
        for xb, yb in train_loader:
            pred = model(xb)
            loss = loss_fn(pred, yb)
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
            total += loss.item() * len(xb)
            count += len(xb)
        history["train_loss"].append(total / count)
        if val_loader is not None:
            history["val_loss"].append(evaluate(model, loss_fn, val_loader))
    return history
