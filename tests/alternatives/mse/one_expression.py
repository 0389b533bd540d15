"""One expression for both libraries: arrays and tensors share -, ** and .mean().

For arrays the result is a NumPy float64 scalar, a subclass of Python's float.
"""

import numpy as np


def mse(y_pred, y):
    if np.shape(y_pred) != np.shape(y):
        raise ValueError("y_pred and y must have the same shape")
    return ((y_pred - y) ** 2).mean()
