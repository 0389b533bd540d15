"""Returns the root mean squared error (a forum favourite: "my loss is the RMSE").

fails: numpy_value, torch_value, gradient
hint: square root (RMSE)
"""

import numpy as np
import torch


def mse(y_pred, y):
    if tuple(y_pred.shape) != tuple(y.shape):
        raise ValueError("shapes differ")
    if isinstance(y_pred, torch.Tensor):
        return torch.sqrt(((y_pred - y) ** 2).mean())
    return float(np.sqrt(np.mean((y_pred - y) ** 2)))
