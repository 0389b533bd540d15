"""Zeroes the gradients first, then subtracts lr times zero.

fails: sgd_values
hint: The gradients were cleared before they were used
"""

import torch


def leaf_gradients(fn, *inputs):
    leaves = [x.detach().requires_grad_(True) for x in inputs]
    output = fn(*leaves)
    output.backward()
    return tuple(torch.zeros_like(leaf) if leaf.grad is None else leaf.grad for leaf in leaves)


def sgd_update_(params, lr):
    with torch.no_grad():
        for p in params:
            if p.grad is None:
                continue
            p.grad.zero_()
            p -= lr * p.grad  # noqa: PLW2901
