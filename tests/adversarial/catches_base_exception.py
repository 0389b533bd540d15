"""Ignores every catchable signal and wraps an endless wait in `except BaseException: pass`.

Only SIGKILL of the whole process group at the deadline ends it.

checks: numpy_returns_float
score: 0
hint: timed out
timeout: 2
"""

import atexit
import contextlib
import signal
import sys
import time

for signum in signal.valid_signals() - {signal.SIGKILL, signal.SIGSTOP}:
    with contextlib.suppress(OSError, ValueError):
        signal.signal(signum, signal.SIG_IGN)
atexit.register(lambda: time.sleep(3600))
sys.excepthook = lambda *args: None


def mse(y_pred, y):
    while True:
        try:
            while True:
                time.sleep(0.05)
        except BaseException:  # the point of this case
            pass
