"""F.mse_loss without a shape check (seeds 002 and 004): (N, 1) against (N,) broadcasts.

fails: shape_mismatch_raises, incompatible_shapes_raise_value_error
hint: compare y_pred.shape with y.shape
"""

import numpy as np
import torch
import torch.nn.functional as F


def mse(y_pred, y):
    if isinstance(y_pred, torch.Tensor):
        return F.mse_loss(y_pred, y)
    return float(np.mean((y_pred - y) ** 2))
