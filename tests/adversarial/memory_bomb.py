"""Allocates and touches memory without end (256 MiB at a time) inside mse.

The memory cgroup kills it (SIGKILL) or, where only the address-space rlimit
applies, allocation fails with MemoryError.

checks: numpy_returns_float
score: 0
hint: killed by signal SIGKILL | raised MemoryError
requires: memory
"""

import torch


def mse(y_pred, y):
    hoard = []
    while True:
        hoard.append(torch.ones(64 * 1024 * 1024))  # 256 MiB, written
