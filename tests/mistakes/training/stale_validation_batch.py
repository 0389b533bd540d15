"""Seed 004's evaluation loop, written inline in fit, reuses x_batch, y_batch from training.

fails: fit_val_loss
hint: last training batch
"""

import torch


def make_train_step(model, loss_fn, optimizer):
    def train_step(x, y):
        model.train()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
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
        for x_batch, y_batch in train_loader:
            total += train_step(x_batch, y_batch) * len(x_batch)
            count += len(x_batch)
        history["train_loss"].append(total / count)
        if val_loader is not None:
            val_total, val_count = 0.0, 0
            with torch.no_grad():
                for x_val, y_val in val_loader:  # noqa: B007 (the mistake: unused)
                    model.eval()
                    yhat = model(x_batch)
                    val_total += loss_fn(yhat, y_batch).item() * len(x_val)
                    val_count += len(x_val)
            history["val_loss"].append(val_total / val_count)
    return history
