"""One loop to update and a second to clear: a generator (model.parameters()) is used up.

fails: sgd_parameters_generator
hint: used up after one loop
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
            if p.grad is not None:
                p -= lr * p.grad  # noqa: PLW2901
    for p in params:
        p.grad = None
