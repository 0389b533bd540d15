"""torch.autograd.grad without allow_unused: an input fn does not use raises.

fails: leaf_gradients_unused_input
hint: pass allow_unused=True and return torch.zeros_like(x)
"""

import torch


def leaf_gradients(fn, *inputs):
    leaves = [x.detach().requires_grad_(True) for x in inputs]
    return torch.autograd.grad(fn(*leaves), leaves)


def sgd_update_(params, lr):
    with torch.no_grad():
        for p in params:
            if p.grad is None:
                continue
            p -= lr * p.grad  # noqa: PLW2901 - in place
            p.grad = None
