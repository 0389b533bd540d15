"""Returns the element-wise squared errors: the mean is missing.

fails: numpy_value, torch_value, gradient
hint: the mean over the elements is missing
"""

import torch


def mse(y_pred, y):
    if tuple(y_pred.shape) != tuple(y.shape):
        raise ValueError("shapes differ")
    if isinstance(y_pred, torch.Tensor):
        return (y_pred - y) ** 2
    return (y_pred - y) ** 2
