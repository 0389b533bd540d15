"""Clears the gradients before the forward pass; evaluates under torch.inference_mode().

Divides by len(loader.dataset) and accumulates Python lists instead of running sums.
"""

import torch


def make_train_step(model, loss_fn, optimizer):
    def train_step(x, y):
        model.train()
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        return float(loss)

    return train_step


def evaluate(model, loss_fn, loader):
    model.eval()
    with torch.inference_mode():
        totals = [loss_fn(model(x), y).item() * x.shape[0] for x, y in loader]
    return sum(totals) / len(loader.dataset)


def fit(model, loss_fn, optimizer, train_loader, epochs, val_loader=None):
    train_step = make_train_step(model, loss_fn, optimizer)
    train_losses, val_losses = [], []
    for _epoch in range(epochs):
        totals = [train_step(x, y) * x.shape[0] for x, y in train_loader]
        train_losses.append(sum(totals) / len(train_loader.dataset))
        if val_loader:
            val_losses.append(evaluate(model, loss_fn, val_loader))
    return {"train_loss": train_losses, "val_loss": val_losses}
