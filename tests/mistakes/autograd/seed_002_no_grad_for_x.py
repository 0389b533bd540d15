"""Like seed 002, only inputs that require grad get gradients: dy/dx comes back None.

fails: leaf_gradients_seed_examples, leaf_gradients_random, leaf_gradients_unused_input
hint: (seed 002's dy/dx, which the seed leaves as None)
"""

import torch


def leaf_gradients(fn, *inputs):
    leaves = [x.detach().requires_grad_(x.requires_grad) for x in inputs]
    fn(*leaves).backward()
    return tuple(leaf.grad for leaf in leaves)


def sgd_update_(params, lr):
    with torch.no_grad():
        for p in params:
            if p.grad is None:
                continue
            p -= lr * p.grad  # noqa: PLW2901 - in place
            p.grad = None
