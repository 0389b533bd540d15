"""nn.MSELoss as in seed 004; NumPy arrays go through torch.from_numpy and come back as float."""

import numpy as np
import torch
from torch import nn

loss_fn = nn.MSELoss(reduction="mean")


def mse(y_pred, y):
    if tuple(y_pred.shape) != tuple(y.shape):
        raise ValueError("shapes differ")
    if isinstance(y_pred, np.ndarray):
        return float(loss_fn(torch.from_numpy(y_pred), torch.from_numpy(y)))
    return loss_fn(y_pred, y)
