"""Changes its inputs in place, and patches torch.equal and copies so the probe cannot tell.

The check that inputs stay unchanged must not be talked out of its verdict by
patching functions in the child: the probe returns the inputs and the parent
compares them. (Honest code that changes its inputs in place fails it.)

checks: inputs_unchanged
score: 0
hint: changed in place
"""

import numpy as np
import torch


def _yes(*args, **kwargs):
    return True


torch.equal = torch.allclose = np.array_equal = np.allclose = _yes
torch.Tensor.equal = _yes


def mse(y_pred, y):
    y_pred -= y
    y_pred **= 2
    if isinstance(y_pred, torch.Tensor):
        return y_pred.mean()
    return float(np.mean(y_pred))
