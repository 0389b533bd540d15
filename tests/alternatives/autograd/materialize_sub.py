"""torch.autograd.grad(..., materialize_grads=True) on detached clones; p.sub_(grad, alpha=lr)."""

import torch


def leaf_gradients(fn, *inputs):
    leaves = tuple(x.detach().clone().requires_grad_() for x in inputs)
    return torch.autograd.grad(fn(*leaves), leaves, materialize_grads=True)


def sgd_update_(params, lr):
    with torch.no_grad():
        for param in params:
            if param.grad is not None:
                param.sub_(param.grad, alpha=lr)
                param.grad.zero_()  # zeros, as optimizer.zero_grad(set_to_none=False)
