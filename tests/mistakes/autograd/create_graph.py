"""torch.autograd.grad(..., create_graph=True): the gradients carry a graph of their own.

fails: leaf_gradients_plain_tensors
hint: The gradients carry a graph of their own
"""

import torch


def leaf_gradients(fn, *inputs):
    leaves = [x.detach().requires_grad_(True) for x in inputs]
    grads = torch.autograd.grad(fn(*leaves), leaves, create_graph=True, allow_unused=True)
    pairs = zip(leaves, grads, strict=True)
    return tuple(torch.zeros_like(x) if g is None else g for x, g in pairs)


def sgd_update_(params, lr):
    with torch.no_grad():
        for p in params:
            if p.grad is None:
                continue
            p -= lr * p.grad  # noqa: PLW2901 - in place
            p.grad = None
