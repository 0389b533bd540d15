"""diff = y_pred; diff -= y: the alias makes the subtraction change y_pred in place.

fails: inputs_unchanged, gradient
hint: in place
"""

import numpy as np
import torch


def mse(y_pred, y):
    if tuple(y_pred.shape) != tuple(y.shape):
        raise ValueError("shapes differ")
    diff = y_pred
    diff -= y
    if isinstance(diff, torch.Tensor):
        return (diff**2).mean()
    return float(np.mean(diff**2))
