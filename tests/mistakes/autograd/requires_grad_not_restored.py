"""Switches requires_grad off to update in place and never switches it back on.

fails: sgd_keeps_leaves
hint: requires_grad switched off and never back on
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
        p.requires_grad_(False)
        p -= lr * p.grad  # noqa: PLW2901
        p.grad = None
