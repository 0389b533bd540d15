"""Central finite differences instead of autograd: close, but not exact in float32.

fails: leaf_gradients_seed_examples, leaf_gradients_random, leaf_gradients_unused_input
hint: Close, but only approximately
"""

import torch


def leaf_gradients(fn, *inputs):
    eps = 1e-3
    grads = []
    with torch.no_grad():
        for i, x in enumerate(inputs):
            grad = torch.zeros_like(x).reshape(-1)
            for j in range(x.numel()):
                step = torch.zeros_like(x).reshape(-1)
                step[j] = eps
                plus, minus = list(inputs), list(inputs)
                plus[i], minus[i] = x + step.view_as(x), x - step.view_as(x)
                grad[j] = (fn(*plus) - fn(*minus)) / (2 * eps)
            grads.append(grad.view_as(x))
    return tuple(grads)


def sgd_update_(params, lr):
    with torch.no_grad():
        for p in params:
            if p.grad is None:
                continue
            p -= lr * p.grad  # noqa: PLW2901 - in place
            p.grad = None
