"""Calls .item() on the torch loss, as seed 000 does to print it: a float cannot be backpropagated.

fails: torch_value, gradient
hint: keep the computation in torch
"""

import numpy as np
import torch


def mse(y_pred, y):
    if tuple(y_pred.shape) != tuple(y.shape):
        raise ValueError("shapes differ")
    if isinstance(y_pred, torch.Tensor):
        return ((y_pred - y) ** 2).mean().item()
    return float(np.mean((y_pred - y) ** 2))
