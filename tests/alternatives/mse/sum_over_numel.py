"""Seed 002's mse, torch.sum(diff * diff) / diff.numel(), with NumPy's size for arrays."""

import numpy as np
import torch


def mse(y_pred, y):
    if y_pred.shape != y.shape:
        raise ValueError(f"y_pred has shape {tuple(y_pred.shape)}, y has {tuple(y.shape)}")
    diff = y_pred - y
    if isinstance(diff, torch.Tensor):
        return torch.sum(diff * diff) / diff.numel()
    return float(np.sum(diff * diff) / diff.size)
