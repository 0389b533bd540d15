"""Switches requires_grad on for the caller's own tensors and backpropagates into them.

fails: leaf_gradients_inputs_untouched, leaf_gradients_repeatable
hint: You switched gradients on for the caller's tensor
"""

import torch


def leaf_gradients(fn, *inputs):
    for x in inputs:
        x.requires_grad_(True)
    fn(*inputs).backward()
    return tuple(torch.zeros_like(x) if x.grad is None else x.grad.clone() for x in inputs)


def sgd_update_(params, lr):
    with torch.no_grad():
        for p in params:
            if p.grad is None:
                continue
            p -= lr * p.grad  # noqa: PLW2901 - in place
            p.grad = None
