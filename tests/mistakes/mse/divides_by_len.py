"""Seed 002's mse with len(diff) for diff.numel(): right for vectors, not for matrices.

fails: numpy_value, torch_value, gradient
hint: divided by len(y)
"""

import numpy as np
import torch


def mse(y_pred, y):
    if tuple(y_pred.shape) != tuple(y.shape):
        raise ValueError("shapes differ")
    diff = y_pred - y
    if isinstance(y_pred, torch.Tensor):
        return torch.sum(diff * diff) / len(diff)
    return float(np.sum(diff * diff) / len(diff))
