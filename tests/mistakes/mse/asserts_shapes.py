"""Checks the shapes with assert, which raises AssertionError rather than ValueError.

fails: shape_mismatch_raises, incompatible_shapes_raise_value_error
hint: An assert raises AssertionError
"""

import numpy as np
import torch


def mse(y_pred, y):
    assert tuple(y_pred.shape) == tuple(y.shape), "shapes differ"
    if isinstance(y_pred, torch.Tensor):
        return ((y_pred - y) ** 2).mean()
    return float(np.mean((y_pred - y) ** 2))
