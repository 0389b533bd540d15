"""Computes the right loss, then calls sys.exit(0) instead of returning it.

checks: numpy_returns_float
score: 0
hint: called sys.exit(0)
"""

import sys

import numpy as np
import torch


def mse(y_pred, y):
    if isinstance(y_pred, torch.Tensor):
        loss = ((y_pred - y) ** 2).mean()
    else:
        loss = float(np.mean((np.asarray(y_pred) - np.asarray(y)) ** 2))
    print(loss)
    sys.exit(0)
