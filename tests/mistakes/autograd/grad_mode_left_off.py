"""torch.set_grad_enabled(False) instead of a with block: autograd stays off afterwards.

fails: sgd_two_steps
hint: Autograd is still off after sgd_update_
"""

import torch


def leaf_gradients(fn, *inputs):
    leaves = [x.detach().requires_grad_(True) for x in inputs]
    output = fn(*leaves)
    output.backward()
    return tuple(torch.zeros_like(leaf) if leaf.grad is None else leaf.grad for leaf in leaves)


def sgd_update_(params, lr):
    torch.set_grad_enabled(False)
    for p in params:
        if p.grad is None:
            continue
        p -= lr * p.grad  # noqa: PLW2901
        p.grad = None
