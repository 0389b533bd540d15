"""torch.zeros(x.shape) for an unused input: float32 zeros on the CPU, whatever the input.

fails: leaf_gradients_meta
hint: not torch.zeros(x.shape), which lives on the CPU
"""

import torch


def leaf_gradients(fn, *inputs):
    leaves = [x.detach().requires_grad_(True) for x in inputs]
    output = fn(*leaves)
    output.backward()
    return tuple(torch.zeros(leaf.shape) if leaf.grad is None else leaf.grad for leaf in leaves)


def sgd_update_(params, lr):
    with torch.no_grad():
        for p in params:
            if p.grad is None:
                continue
            p -= lr * p.grad  # noqa: PLW2901 - in place
            p.grad = None
