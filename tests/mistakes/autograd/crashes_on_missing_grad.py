"""No check for p.grad is None: a parameter the loss did not use crashes the update.

fails: sgd_skips_missing_gradients
hint: must be skipped: if p.grad is None: continue
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
            p -= lr * p.grad  # noqa: PLW2901 - in place
            p.grad = None
