"""Averages the batch means without weights (seed 004's np.mean(val_losses), seed 002's
torch.stack(batch_losses).mean()): biased when the last batch is smaller.

fails: evaluate_value
hint: without weighting them
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
    losses = []
    with torch.no_grad():
        for x, y in loader:
            losses.append(loss_fn(model(x), y).item())
    return sum(losses) / len(losses)


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
