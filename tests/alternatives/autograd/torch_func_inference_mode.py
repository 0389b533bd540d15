"""torch.func.grad over every argument; the update under torch.inference_mode()."""

import torch


def leaf_gradients(fn, *inputs):
    plain = [x.detach() for x in inputs]  # torch.func never touches .grad or requires_grad
    return torch.func.grad(fn, argnums=tuple(range(len(plain))))(*plain)


def sgd_update_(params, lr):
    params = list(params)  # a generator can be walked once only
    with torch.inference_mode():
        for param in params:
            if param.grad is None:
                continue
            param.add_(-lr * param.grad)
    for param in params:
        param.grad = None
