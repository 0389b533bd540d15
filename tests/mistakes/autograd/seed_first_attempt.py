"""Seed 004's first attempt, p = p - lr * p.grad, then p.grad.zero_() on the new tensor.

fails: sgd_values
hint: seed 004's first attempt
"""

import torch


def leaf_gradients(fn, *inputs):
    leaves = [x.detach().requires_grad_(True) for x in inputs]
    output = fn(*leaves)
    output.backward()
    return tuple(torch.zeros_like(leaf) if leaf.grad is None else leaf.grad for leaf in leaves)


def sgd_update_(params, lr):
    for p in params:
        p = p - lr * p.grad  # noqa: PLW2901
        p.grad.zero_()
