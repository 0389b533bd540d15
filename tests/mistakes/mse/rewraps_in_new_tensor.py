"""Returns torch.tensor(loss.item()) to hand back "a tensor": a new tensor with no history.

fails: gradient
hint: cut from the autograd graph
"""

import numpy as np
import torch


def mse(y_pred, y):
    if tuple(y_pred.shape) != tuple(y.shape):
        raise ValueError("shapes differ")
    if isinstance(y_pred, torch.Tensor):
        loss = ((y_pred - y) ** 2).mean()
        return torch.tensor(loss.item())
    return float(np.mean((y_pred - y) ** 2))
