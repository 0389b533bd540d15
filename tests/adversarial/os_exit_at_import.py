"""Calls os._exit(0) at import (no exception, no cleanup), above a correct mse.

checks: numpy_returns_float
score: 0
hint: exited with status 0
"""

import os

import numpy as np
import torch

os._exit(0)


def mse(y_pred, y):
    if isinstance(y_pred, torch.Tensor):
        return ((y_pred - y) ** 2).mean()
    return float(np.mean((np.asarray(y_pred) - np.asarray(y)) ** 2))
