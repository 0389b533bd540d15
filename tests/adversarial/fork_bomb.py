"""A fork bomb: every process forks forever, ignoring failures, inside mse.

The pids cgroup (or RLIMIT_NPROC) caps the number of processes; the deadline
kills the group and the namespace, and nothing survives the check.

checks: numpy_returns_float
score: 0
hint: timed out
timeout: 2
requires: pids
"""

import contextlib
import ctypes
import os

PR_SET_NAME = 15


def mse(y_pred, y):
    ctypes.CDLL(None).prctl(PR_SET_NAME, b"tghostile", 0, 0, 0)
    while True:
        with contextlib.suppress(OSError):
            os.fork()
