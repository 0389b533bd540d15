"""Checks only the number of elements: (5, 1) and (5,) both have 5, and broadcast.

fails: shape_mismatch_raises
hint: silently broadcasts
"""

import numpy as np
import torch


def mse(y_pred, y):
    if isinstance(y_pred, torch.Tensor):
        if y_pred.numel() != y.numel():
            raise ValueError("sizes differ")
        return ((y_pred - y) ** 2).mean()
    if y_pred.size != y.size:
        raise ValueError("sizes differ")
    return float(np.mean((y_pred - y) ** 2))
