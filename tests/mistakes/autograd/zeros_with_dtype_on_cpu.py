"""Clears with p.grad = torch.zeros(p.shape, dtype=p.dtype): the right dtype, but on the CPU.

fails: sgd_meta
hint: builds zeros on the CPU
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
            p -= lr * p.grad  # noqa: PLW2901 - in place
            p.grad = torch.zeros(p.shape, dtype=p.dtype)
