"""Leaves a double-forked daemon behind at import and in every call, then returns the right loss.

The daemon renames itself, detaches (setsid, parent exits), ignores SIGTERM and
SIGHUP, waits for the check to end and would then write a marker file and keep
running. The leftovers are ended with the check (PID namespace, process group,
subreaper sweep), so the catalogue finds none alive; the loss itself is right.

checks: numpy_returns_float, torch_value
score: full
"""

import contextlib
import ctypes
import os
import signal
import time
from pathlib import Path

import numpy as np
import torch

PR_SET_NAME = 15


def _daemonise() -> None:
    if os.fork():
        return
    os.setsid()
    if os.fork():
        os._exit(0)
    ctypes.CDLL(None).prctl(PR_SET_NAME, b"tghostile", 0, 0, 0)
    for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(signum, signal.SIG_IGN)
    time.sleep(1.5)
    for folder in ("/tmp", "/var/tmp", "/dev/shm", os.getcwd()):
        with contextlib.suppress(OSError):
            Path(folder, "torchgrade-pwned-daemon").write_text("the daemon outlived its check")
    while True:
        time.sleep(1)


_daemonise()


def mse(y_pred, y):
    _daemonise()
    if isinstance(y_pred, torch.Tensor):
        return ((y_pred - y) ** 2).mean()
    return float(np.mean((np.asarray(y_pred) - np.asarray(y)) ** 2))
