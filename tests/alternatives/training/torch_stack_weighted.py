"""Stacks per-batch losses and sizes into tensors and takes a weighted mean with torch.

The validation pass is a helper of fit that reuses evaluate.
"""

import torch


def make_train_step(model, loss_fn, optimizer):
    def train_step(x, y):
        model.train()
        loss = loss_fn(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return loss.item()

    return train_step


def _weighted_mean(losses, sizes):
    losses = torch.tensor(losses, dtype=torch.float64)
    sizes = torch.tensor(sizes, dtype=torch.float64)
    return float((losses * sizes).sum() / sizes.sum())


@torch.no_grad()
def evaluate(model, loss_fn, loader):
    model.eval()
    pairs = [(loss_fn(model(x), y).item(), len(x)) for x, y in loader]
    return _weighted_mean(*zip(*pairs, strict=True))


def fit(model, loss_fn, optimizer, train_loader, epochs, val_loader=None):
    step = make_train_step(model, loss_fn, optimizer)
    history = {"train_loss": [], "val_loss": []}
    epoch = 0
    while epoch < epochs:
        pairs = [(step(x, y), len(x)) for x, y in train_loader]
        history["train_loss"].append(_weighted_mean(*zip(*pairs, strict=True)))
        if val_loader is not None:
            history["val_loss"].append(evaluate(model, loss_fn, val_loader))
        epoch += 1
    return history
