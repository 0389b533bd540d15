"""Returns a Tensor subclass whose __torch_function__ makes every comparison true.

Only exact torch.Tensor results are read; a subclass comes back as its type name.
Its honest part sums instead of averaging.

checks: torch_value, gradient
score: 0
hint: an object of type submission.mse.Liar
"""

import torch

LIES = {torch.allclose, torch.equal, torch.isclose, torch.eq, torch.Tensor.__eq__,
        torch.Tensor.eq, torch.Tensor.allclose, torch.Tensor.equal}


class Liar(torch.Tensor):
    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        if func in LIES:
            return True
        return super().__torch_function__(func, types, args, kwargs or {})

    def __eq__(self, other):
        return True

    def __bool__(self):
        return True

    __hash__ = torch.Tensor.__hash__


def mse(y_pred, y):
    return ((y_pred - y) ** 2).sum().as_subclass(Liar)
