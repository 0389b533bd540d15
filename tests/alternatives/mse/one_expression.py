"""One expression for both libraries: arrays and tensors share -, ** and .mean()."""

import numpy as np
import torch


def mse(y_pred, y):
    if np.shape(y_pred) != np.shape(y):
        raise ValueError("y_pred and y must have the same shape")
    loss = ((y_pred - y) ** 2).mean()
    return loss if torch.is_tensor(loss) else loss.item()
