"""Checks its arguments and raises on bad input, otherwise returns None.

Validation without the work it guards earns nothing.
"""

import torch


def leaf_gradients(fn, *inputs):
    if not callable(fn):
        raise TypeError("fn must be callable")
    if not all(isinstance(x, torch.Tensor) and x.is_floating_point() for x in inputs):
        raise TypeError("inputs must be floating-point tensors")
    return None


def sgd_update_(params, lr):
    if lr <= 0:
        raise ValueError("lr must be positive")
    return None
