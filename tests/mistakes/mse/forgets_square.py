"""Forgets to square, so signed errors cancel (seed 002: "why square? to remove negative values").

fails: numpy_value, torch_value, gradient
hint: forgot to square
"""

import numpy as np
import torch


def mse(y_pred, y):
    if tuple(y_pred.shape) != tuple(y.shape):
        raise ValueError("shapes differ")
    if isinstance(y_pred, torch.Tensor):
        return (y_pred - y).mean()
    return float(np.mean(y_pred - y))
