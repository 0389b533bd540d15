"""Converts NumPy inputs with torch.as_tensor and returns the tensor, not a float.

fails: numpy_returns_float
hint: For NumPy inputs return a Python float
"""

import torch


def mse(y_pred, y):
    if tuple(y_pred.shape) != tuple(y.shape):
        raise ValueError("shapes differ")
    y_pred, y = torch.as_tensor(y_pred), torch.as_tensor(y)
    return ((y_pred - y) ** 2).mean()
