"""Patches pytest and the grading engine's own modules, as far as the child can see them.

pytest.approx equals anything, pytest.fail does nothing, and the engine's
comparison helpers say yes; none of it reaches the grading process. The
honest part sums instead of averaging.

checks: numpy_value
score: 0
hint: summed instead of averaging
"""

import sys

import numpy as np
import torch


class _Anything:
    def __init__(self, *args, **kwargs):
        pass

    def __eq__(self, other):
        return True

    __hash__ = object.__hash__


def _nothing(*args, **kwargs):
    return None


try:
    import pytest

    pytest.approx = _Anything
    pytest.fail = pytest.skip = pytest.xfail = _nothing
except ImportError:  # pytest is not always importable where student code runs
    pass

for name, module in list(sys.modules.items()):
    if name.startswith(("graders", "_pytest", "pytest")):
        for attribute in ("fail", "close", "tensors_close", "expect_float", "expect_tensor"):
            if hasattr(module, attribute):
                setattr(module, attribute, _nothing)


def mse(y_pred, y):
    if isinstance(y_pred, torch.Tensor):
        return ((y_pred - y) ** 2).sum()
    return float(np.sum((np.asarray(y_pred) - np.asarray(y)) ** 2))
