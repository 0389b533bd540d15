"""Loops forever inside torch ops: a large matrix product, over and over (native code, no GIL).

checks: numpy_returns_float
score: 0
hint: timed out
timeout: 2
"""

import torch


def mse(y_pred, y):
    torch.set_num_threads(8)  # and takes every core it can
    a = torch.randn(1500, 1500)
    while True:
        a = a @ a
        a = a / a.norm()
