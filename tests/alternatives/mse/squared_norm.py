"""The squared Euclidean norm of the difference, divided by the number of elements."""

import numpy as np
import torch


def mse(y_pred, y):
    if tuple(y_pred.shape) != tuple(y.shape):
        raise ValueError("shapes differ")
    if isinstance(y_pred, torch.Tensor):
        diff = y_pred - y
        return torch.linalg.vector_norm(diff) ** 2 / diff.numel()
    diff = np.subtract(y_pred, y)
    return float(np.linalg.norm(diff.ravel()) ** 2 / diff.size)
