"""p.data = p.data - lr * p.grad: a leaf still, but new memory, not an in-place update.

fails: sgd_keeps_leaves
hint: p.data = ... swaps in new memory
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
            p.data = p.data - lr * p.grad
            p.grad = None
