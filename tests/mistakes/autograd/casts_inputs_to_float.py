"""Makes float32 leaves, x.detach().float(): a float64 input gets a float32 gradient.

fails: leaf_gradients_random
hint: not a converted copy
"""

import torch


def leaf_gradients(fn, *inputs):
    leaves = [x.detach().float().requires_grad_(True) for x in inputs]
    grads = torch.autograd.grad(fn(*leaves), leaves, allow_unused=True)
    return tuple(torch.zeros_like(leaf) if grad is None else grad
                 for leaf, grad in zip(leaves, grads, strict=True))


def sgd_update_(params, lr):
    with torch.no_grad():
        for p in params:
            if p.grad is None:
                continue
            p -= lr * p.grad  # noqa: PLW2901 - in place
            p.grad = None
