"""Seed 004's second attempt: p -= lr * p.grad outside torch.no_grad() raises.

fails: sgd_values
hint: seed 004's second attempt
"""

import torch


def leaf_gradients(fn, *inputs):
    leaves = [x.detach().requires_grad_(True) for x in inputs]
    output = fn(*leaves)
    output.backward()
    return tuple(torch.zeros_like(leaf) if leaf.grad is None else leaf.grad for leaf in leaves)


def sgd_update_(params, lr):
    for p in params:
        if p.grad is None:
            continue
        p -= lr * p.grad  # noqa: PLW2901
        p.grad = None
