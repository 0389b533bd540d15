"""Returns NaN, which compares false with everything (a classic way to slip past `not a != b`).

checks: numpy_value, torch_value
score: 0
hint: nan
"""

import torch


def mse(y_pred, y):
    if isinstance(y_pred, torch.Tensor):
        return torch.tensor(float("nan"), dtype=y_pred.dtype)
    return float("nan")
