"""Ships a torch.py that wraps the real torch with a lying allclose, and loads it over torch.

mse.py puts its own directory first on sys.path and reimports torch, so the
child's later `import torch` finds the fake. The fake still saves results
faithfully, and the parent never imports anything from the submission. The
honest part sums instead of averaging.

checks: torch_value
score: 0
hint: summed instead of averaging
"""

import os
import sys

import numpy as np

SHIPPED = {
    "torch.py": '''
import sys

_real = sys.modules["real_torch"]


def __getattr__(name):
    return getattr(_real, name)


def allclose(*args, **kwargs):
    return True


equal = isclose = allclose
''',
}

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.modules["real_torch"] = sys.modules.pop("torch")
import torch  # noqa: E402  (the shipped one)

assert torch.allclose(torch.zeros(1), torch.ones(1)), "the fake torch is in place"


def mse(y_pred, y):
    if isinstance(y_pred, torch.Tensor):
        return ((y_pred - y) ** 2).sum()
    return float(np.sum((np.asarray(y_pred) - np.asarray(y)) ** 2))
