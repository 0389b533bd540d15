"""Seed 000's NumPy mse (np.mean(np.square(y - y_pred))) reused for tensors.

fails: torch_value, gradient
hint: keep the computation in torch
"""

import numpy as np


def mse(y_pred, y):
    if tuple(y_pred.shape) != tuple(y.shape):
        raise ValueError("shapes differ")
    return np.mean(np.square(y - y_pred))
