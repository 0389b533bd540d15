"""Calls sys.exit(0) at import, above a correct mse.

checks: numpy_returns_float
score: 0
hint: sys.exit(0)
"""

import sys

import numpy as np
import torch

sys.exit(0)


def mse(y_pred, y):
    if isinstance(y_pred, torch.Tensor):
        return ((y_pred - y) ** 2).mean()
    return float(np.mean((np.asarray(y_pred) - np.asarray(y)) ** 2))
