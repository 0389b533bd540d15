"""Reshapes y to y_pred's shape (the usual forum fix for MSELoss's broadcasting warning).

fails: shape_mismatch_raises, incompatible_shapes_raise_value_error
hint: You reshaped one input to fit the other
"""

import numpy as np
import torch


def mse(y_pred, y):
    y = y.reshape(y_pred.shape)
    if isinstance(y_pred, torch.Tensor):
        return ((y_pred - y) ** 2).mean()
    return float(np.mean((y_pred - y) ** 2))
