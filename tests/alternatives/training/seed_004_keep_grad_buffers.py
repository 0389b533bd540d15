"""Seed 004's closure, clearing with zero_grad(set_to_none=False); NumPy weighted averages.

evaluate puts the model back in the mode it found it in.
"""

import numpy as np
import torch


def make_train_step(model, loss_fn, optimizer):
    # Builds function that performs a step in the train loop
    def train_step(x, y):
        # Sets model to TRAIN mode
        model.train()
        # Makes predictions
        yhat = model(x)
        # Computes loss
        loss = loss_fn(yhat, y)
        # Computes gradients
        loss.backward()
        # Updates parameters and zeroes gradients
        optimizer.step()
        optimizer.zero_grad(set_to_none=False)
        # Returns the loss
        return loss.item()

    return train_step


def evaluate(model, loss_fn, loader):
    was_training = model.training
    model.eval()
    losses, sizes = [], []
    with torch.no_grad():
        for x_val, y_val in loader:
            yhat = model(x_val)
            losses.append(loss_fn(yhat, y_val).item())
            sizes.append(x_val.size(0))
    model.train(was_training)
    return float(np.average(losses, weights=sizes))


def fit(model, loss_fn, optimizer, train_loader, epochs, val_loader=None):
    train_step = make_train_step(model, loss_fn, optimizer)
    history = {"train_loss": [], "val_loss": []}
    for _ in range(epochs):
        losses, sizes = [], []
        for x_batch, y_batch in train_loader:
            losses.append(train_step(x_batch, y_batch))
            sizes.append(len(x_batch))
        history["train_loss"].append(float(np.average(losses, weights=sizes)))
        if val_loader is not None:
            history["val_loss"].append(evaluate(model, loss_fn, val_loader))
    return history
