"""Squares the mean difference instead of averaging the squared differences.

fails: numpy_value, torch_value, gradient
hint: squared the mean difference
"""

import numpy as np
import torch


def mse(y_pred, y):
    if tuple(y_pred.shape) != tuple(y.shape):
        raise ValueError("shapes differ")
    if isinstance(y_pred, torch.Tensor):
        return (y_pred - y).mean() ** 2
    return float(np.mean(y_pred - y) ** 2)
