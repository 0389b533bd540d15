"""Keeps the leaf copies between calls (a cache keyed by the input) and calls backward():
the second call on the same tensors adds to the first call's .grad.

fails: leaf_gradients_repeatable
hint: not leaves kept from an earlier call
"""

import torch

_LEAVES = {}


def leaf_gradients(fn, *inputs):
    leaves = []
    for x in inputs:
        if id(x) not in _LEAVES:
            _LEAVES[id(x)] = (x, x.detach().requires_grad_(True))
        leaves.append(_LEAVES[id(x)][1])
    fn(*leaves).backward()
    return tuple(torch.zeros_like(leaf) if leaf.grad is None else leaf.grad.clone()
                 for leaf in leaves)


def sgd_update_(params, lr):
    with torch.no_grad():
        for p in params:
            if p.grad is None:
                continue
            p -= lr * p.grad  # noqa: PLW2901 - in place
            p.grad = None
