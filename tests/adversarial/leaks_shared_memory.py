"""Leaves System V shared memory, semaphores and a message queue behind; returns the right loss.

A segment outlives its creator unless removed; charged to the sandbox's
memory cgroup, a few of them would starve every later submission. Children
get their own IPC namespace and a private /dev/shm, both gone with the check.

checks: numpy_returns_float, torch_value
score: full
requires: ipc, filesystem
"""

import ctypes
import mmap
import time

import numpy as np
import torch

libc = ctypes.CDLL(None, use_errno=True)
libc.shmat.restype = ctypes.c_void_p
KEY = 0x74670000  # in hostile.IPC_KEYS: the catalogue looks for what is left there
IPC_CREAT, SIZE = 0o1000, 256 * 1024 * 1024


def _leak() -> None:
    fresh = KEY + 16 + time.monotonic_ns() % 4000  # a new segment every call
    segment = libc.shmget(fresh, SIZE, IPC_CREAT | 0o666)
    if segment >= 0:
        address = libc.shmat(segment, None, 0)
        if address not in (None, ctypes.c_void_p(-1).value):
            ctypes.memset(address, 1, SIZE)  # charged to whoever made it
            libc.shmdt(ctypes.c_void_p(address))
    libc.semget(KEY + 1, 4, IPC_CREAT | 0o666)
    libc.msgget(KEY + 2, IPC_CREAT | 0o666)
    with open("/dev/shm/torchgrade-pwned-shm", "wb") as handle:
        handle.write(b"\1" * mmap.PAGESIZE)


def mse(y_pred, y):
    _leak()
    if isinstance(y_pred, torch.Tensor):
        return ((y_pred - y) ** 2).mean()
    return float(np.mean((np.asarray(y_pred) - np.asarray(y)) ** 2))
