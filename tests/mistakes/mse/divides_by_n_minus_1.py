"""Divides by N - 1, as the unbiased sample variance does (np.var(ddof=1), torch.var).

fails: numpy_value, torch_value, gradient
hint: divided by N - 1
"""

import numpy as np
import torch


def mse(y_pred, y):
    if tuple(y_pred.shape) != tuple(y.shape):
        raise ValueError("shapes differ")
    diff = y_pred - y
    if isinstance(y_pred, torch.Tensor):
        return (diff**2).sum() / (diff.numel() - 1)
    return float(np.sum(diff**2) / (diff.size - 1))
