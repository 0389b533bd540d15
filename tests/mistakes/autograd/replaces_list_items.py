"""params[i] = p - lr * p.grad: the caller's list gets new tensors with a history.

fails: sgd_keeps_leaves
hint: params[i] = params[i] - lr * grad puts a new tensor
"""

import torch


def leaf_gradients(fn, *inputs):
    leaves = [x.detach().requires_grad_(True) for x in inputs]
    output = fn(*leaves)
    output.backward()
    return tuple(torch.zeros_like(leaf) if leaf.grad is None else leaf.grad for leaf in leaves)


def sgd_update_(params, lr):
    for i, p in enumerate(params):
        if p.grad is None:
            continue
        params[i] = p - lr * p.grad
        p.grad = None
