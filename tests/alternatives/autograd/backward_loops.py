"""backward() on detached clones, with explicit loops; the update in place on p.data."""

import torch


def leaf_gradients(fn, *inputs):
    leaves = []
    for x in inputs:
        leaf = x.detach().clone()
        leaf.requires_grad = True
        leaves.append(leaf)
    loss = fn(*leaves)
    loss.backward()
    grads = []
    for leaf in leaves:
        if leaf.grad is None:  # fn did not use this input
            grads.append(torch.zeros_like(leaf))
        else:
            grads.append(leaf.grad)
    return tuple(grads)


def sgd_update_(params, lr):
    for param in params:
        if param.grad is None:
            continue
        # .data is the same memory without autograd's history: an in-place update of it
        # changes the parameter and records nothing.
        param.data.sub_(lr * param.grad.data)
        param.grad = None
