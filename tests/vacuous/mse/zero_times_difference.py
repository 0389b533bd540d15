"""Checks the shapes and raises ValueError like the contract, then returns 0 * the sum.

The review's example: right type, right device, a graph, no error on good input, and
nothing computed. Validation without the work it guards earns nothing.
"""

import torch


def mse(y_pred, y):
    if tuple(y_pred.shape) != tuple(y.shape):
        raise ValueError(f"shapes differ: {tuple(y_pred.shape)} and {tuple(y.shape)}")
    if isinstance(y_pred, torch.Tensor):
        return 0 * (y_pred - y).sum()
    return float(0 * (y_pred - y).sum())
