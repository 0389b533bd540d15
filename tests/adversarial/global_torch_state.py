"""Returns the right loss, then wrecks the process's global state for whatever runs next.

Default dtype float64, default device meta, grad mode off, anomaly mode,
fixed seeds, 64 threads, NumPy errors raised, a tiny recursion limit. Every
probe is a fresh fork of the fork server, so no later check (its own or
another submission's) sees any of it: full marks.

checks: numpy_returns_float, gradient, meta_device
score: full
"""

import random
import sys

import numpy as np
import torch


def _wreck() -> None:
    torch.set_default_dtype(torch.float64)
    torch.set_grad_enabled(False)
    torch.autograd.set_detect_anomaly(True)
    torch.manual_seed(1234)
    np.random.seed(1234)
    random.seed(1234)
    torch.set_num_threads(64)
    torch.set_printoptions(precision=1)
    torch.use_deterministic_algorithms(True)
    np.seterr(all="raise")
    torch.set_default_device("meta")
    sys.setrecursionlimit(100)


def mse(y_pred, y):
    if isinstance(y_pred, torch.Tensor):
        loss = ((y_pred - y) ** 2).mean()
    else:
        loss = float(np.mean((np.asarray(y_pred) - np.asarray(y)) ** 2))
    _wreck()
    return loss
