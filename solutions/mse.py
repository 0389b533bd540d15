"""Exercise 1: the mean squared error loss (seed 000, sections 4.1-4.2; seed 002, "Loss Function").

Write ``mse(y_pred, y)``, the mean of the squared differences between the
predictions and the targets: ``mean((y_pred - y) ** 2)``.

Contract:
- NumPy arrays in, a Python ``float`` out.
- torch tensors in, a 0-dimensional torch tensor out, still attached to the
  autograd graph (so that ``mse(y_pred, y).backward()`` works).
- The two inputs must have the same shape. If they do not, raise
  ``ValueError`` (for example ``(N, 1)`` against ``(N,)``: broadcasting would
  silently compare every prediction with every target).
- The loss of tensors stays on their device (the grader also uses the
  ``meta`` device, whose tensors have shapes but no values).
- ``y_pred`` and ``y`` are left unchanged (no in-place operations on them).
"""

import numpy as np
import torch


def mse(y_pred, y):
    """Mean squared error of ``y_pred`` against ``y``; see the module docstring."""
    ### BEGIN SOLUTION
    if tuple(y_pred.shape) != tuple(y.shape):
        raise ValueError(f"shapes differ: {tuple(y_pred.shape)} vs {tuple(y.shape)}")
    if isinstance(y_pred, torch.Tensor):
        return ((y_pred - y) ** 2).mean()
    return float(np.mean((np.asarray(y_pred) - np.asarray(y)) ** 2))
    ### END SOLUTION
