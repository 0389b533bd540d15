"""x.clone().requires_grad_(): a clone of a tensor that requires grad is not a leaf.

Backward then writes the caller's .grad and leaves the clones' .grad None, which comes
back as zeros (the way this code gives an unused input its zeros).

fails: leaf_gradients_seed_examples, leaf_gradients_random
hint: x.clone() keeps the history of a tensor that requires grad
"""

import torch


def leaf_gradients(fn, *inputs):
    leaves = [x.clone().requires_grad_(True) for x in inputs]
    fn(*leaves).backward()
    return tuple(torch.zeros_like(leaf) if leaf.grad is None else leaf.grad for leaf in leaves)


def sgd_update_(params, lr):
    with torch.no_grad():
        for p in params:
            if p.grad is None:
                continue
            p -= lr * p.grad  # noqa: PLW2901 - in place
            p.grad = None
