"""A hand-written autograd.Function whose backward forgets the 1/N, like seed 000's backward().

Seed 000 computes the gradient as np.dot(2*x, (w*x-y)).mean(): np.dot already
sums, so the .mean() of the resulting scalar divides by nothing.

fails: gradient
hint: summed instead of averaging
"""

import numpy as np
import torch


class SquaredError(torch.autograd.Function):
    @staticmethod
    def forward(ctx, y_pred, y):
        diff = y_pred - y
        ctx.save_for_backward(diff)
        return (diff * diff).mean()

    @staticmethod
    def backward(ctx, grad_output):
        (diff,) = ctx.saved_tensors
        grad = grad_output * 2 * diff
        return grad, -grad


def mse(y_pred, y):
    if tuple(y_pred.shape) != tuple(y.shape):
        raise ValueError("shapes differ")
    if isinstance(y_pred, torch.Tensor):
        return SquaredError.apply(y_pred, y)
    return float(np.mean((y_pred - y) ** 2))
