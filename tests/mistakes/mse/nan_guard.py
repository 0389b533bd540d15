"""Guards against NaN with `if torch.isnan(diff).any()`: a branch on a tensor's values.

On the meta device tensors have shapes but no values, so the `if` cannot be decided there.

fails: meta_device
hint: Meta tensors have shapes but no values
"""

import numpy as np
import torch


def mse(y_pred, y):
    if tuple(y_pred.shape) != tuple(y.shape):
        raise ValueError("shapes differ")
    diff = y_pred - y
    if isinstance(diff, torch.Tensor):
        if torch.isnan(diff).any():
            raise ValueError("NaN in the inputs")
        return (diff * diff).mean()
    return float(np.mean(diff ** 2))
