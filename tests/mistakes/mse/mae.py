"""Averages absolute differences (the MAE) instead of squared ones.

fails: numpy_value, torch_value, gradient
hint: absolute differences (MAE)
"""

import numpy as np
import torch


def mse(y_pred, y):
    if tuple(y_pred.shape) != tuple(y.shape):
        raise ValueError("shapes differ")
    if isinstance(y_pred, torch.Tensor):
        return (y_pred - y).abs().mean()
    return float(np.mean(np.abs(y_pred - y)))
