"""fit validates inline (as seed 002's fit does) and weights the batches by their sizes
worked out from the loader: batch_size for every batch but the last, and
len(dataset) % batch_size for the last one. That remainder is 0 when the batch size divides
the number of samples, so a full last batch then counts for nothing. The public fit
checks' validation sets end with a smaller batch (7 and 10 samples in batches of 4;
fit_converges' 16 samples in one batch of 16 grade the parameters only); the variant's 12
samples in batches of 4 do not. make_train_step and evaluate are right.

fails: variant_fit
hint: look for anything tied to their sizes or values
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
        for x, y in train_loader:
            total += train_step(x, y) * len(x)
            count += len(x)
        history["train_loss"].append(total / count)
        if val_loader is not None:
            samples, size = len(val_loader.dataset), val_loader.batch_size
            sizes = [size] * len(val_loader)
            sizes[-1] = samples % size  # the last batch holds what is left over
            model.eval()
            with torch.no_grad():
                losses = [loss_fn(model(x), y).item() for x, y in val_loader]
            history["val_loss"].append(
                sum(loss * n for loss, n in zip(losses, sizes, strict=True)) / samples)
    return history
