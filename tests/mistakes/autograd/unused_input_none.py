"""torch.autograd.grad with allow_unused=True, returned as is: None for an unused input.

fails: leaf_gradients_unused_input
hint: An input fn does not use still gets a gradient: torch.zeros_like(x), not None
"""

import torch


def leaf_gradients(fn, *inputs):
    leaves = [x.detach().requires_grad_(True) for x in inputs]
    return torch.autograd.grad(fn(*leaves), leaves, allow_unused=True)


def sgd_update_(params, lr):
    with torch.no_grad():
        for p in params:
            if p.grad is None:
                continue
            p -= lr * p.grad  # noqa: PLW2901 - in place
            p.grad = None
