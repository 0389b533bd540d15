"""Flattens both inputs with .view(-1) before subtracting: right for every contiguous tensor,
a RuntimeError for a transposed (non-contiguous) one.

fails: non_contiguous_inputs
hint: mse used .view(), which needs a contiguous tensor
"""

import numpy as np
import torch


def mse(y_pred, y):
    if tuple(y_pred.shape) != tuple(y.shape):
        raise ValueError(f"shapes differ: {tuple(y_pred.shape)} vs {tuple(y.shape)}")
    if isinstance(y_pred, torch.Tensor):
        return ((y_pred.view(-1) - y.view(-1)) ** 2).mean()
    return float(np.mean((np.asarray(y_pred) - np.asarray(y)) ** 2))
