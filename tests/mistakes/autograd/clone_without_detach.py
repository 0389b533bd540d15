"""x.clone().requires_grad_(): a clone of a tensor that requires grad is not a leaf.

Backward then writes the caller's .grad and leaves the clones' .grad None.

fails: leaf_gradients_seed_examples[seed001-L=A*B+D], leaf_gradients_inputs_untouched
hint: x.clone() keeps the history of a tensor that requires grad
"""

import torch


def leaf_gradients(fn, *inputs):
    leaves = [x.clone().requires_grad_(True) for x in inputs]
    fn(*leaves).backward()
    return tuple(leaf.grad for leaf in leaves)


def sgd_update_(params, lr):
    with torch.no_grad():
        for p in params:
            if p.grad is None:
                continue
            p -= lr * p.grad  # noqa: PLW2901 - in place
            p.grad = None
