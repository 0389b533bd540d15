"""Never clears the gradients: each step adds its gradient to all the earlier ones.

The most common training-loop slip; seed 001 explains why zero_grad is needed.

fails: train_step_parameters
hint: gradients accumulated across steps
"""

import torch


def make_train_step(model, loss_fn, optimizer):
    def train_step(x, y):
        model.train()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        return loss.item()

    return train_step


def evaluate(model, loss_fn, loader):
    model.eval()
    total, count = 0.0, 0
    with torch.no_grad():
        for x, y in loader:
            total += loss_fn(model(x), y).item() * len(x)
            count += len(x)
    return total / count


def fit(model, loss_fn, optimizer, train_loader, epochs, val_loader=None):
    train_step = make_train_step(model, loss_fn, optimizer)
    history = {"train_loss": [], "val_loss": []}
    for _ in range(epochs):
        total, count = 0.0, 0
        for x, y in train_loader:
            total += train_step(x, y) * len(x)
            count += len(x)
        history["train_loss"].append(total / count)
        if val_loader is not None:
            history["val_loss"].append(evaluate(model, loss_fn, val_loader))
    return history
