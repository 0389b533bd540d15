"""Returns huge tensors: 100 million real elements, or a view claiming 10^12 of them.

Beyond a million elements only the metadata comes back, so the result file
stays small and the grader reads the shape. The honest part forgets the mean.

checks: torch_value
score: 0
hint: leaving shape (100000000,) | leaving shape (1000000000000,)
"""

import torch


def mse(y_pred, y):
    if y_pred.numel() % 2:
        return torch.zeros(1).expand(10**12)
    return torch.ones(10**8)
