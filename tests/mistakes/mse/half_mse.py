"""Halves the MSE, as in textbooks' 1/(2N) convention that makes the gradient tidier.

fails: numpy_value, torch_value, gradient
hint: drop the factor 1/2
"""

import numpy as np
import torch


def mse(y_pred, y):
    if tuple(y_pred.shape) != tuple(y.shape):
        raise ValueError("shapes differ")
    if isinstance(y_pred, torch.Tensor):
        return 0.5 * ((y_pred - y) ** 2).mean()
    return float(0.5 * np.mean((y_pred - y) ** 2))
