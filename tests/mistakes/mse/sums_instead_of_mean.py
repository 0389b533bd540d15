"""Sums the squared errors instead of averaging them.

fails: numpy_value, torch_value, gradient
hint: summed instead of averaging
"""

import numpy as np
import torch


def mse(y_pred, y):
    if tuple(y_pred.shape) != tuple(y.shape):
        raise ValueError("shapes differ")
    if isinstance(y_pred, torch.Tensor):
        return ((y_pred - y) ** 2).sum()
    return float(np.sum((y_pred - y) ** 2))
