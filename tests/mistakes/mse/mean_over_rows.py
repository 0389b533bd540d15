"""Averages over the rows only (axis 0, as for per-feature statistics): matrices give a vector.

fails: numpy_value, torch_value, gradient
hint: averaged over some axes only
"""

import numpy as np
import torch


def mse(y_pred, y):
    if tuple(y_pred.shape) != tuple(y.shape):
        raise ValueError("shapes differ")
    if isinstance(y_pred, torch.Tensor):
        return ((y_pred - y) ** 2).mean(dim=0)
    return np.mean((y_pred - y) ** 2, axis=0)
