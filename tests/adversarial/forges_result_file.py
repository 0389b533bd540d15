"""Writes its own result file (well-formed for torch.load, outside the protocol) and exits.

The parent decodes only a closed set of shapes; anything else is a crash.

checks: numpy_returns_float
score: 0
hint: outside the grading protocol
"""

import os

import torch


def _result_file():
    """The file the grader reads this child's result from, found through /proc/self/fd."""
    for fd in range(3, 64):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if os.path.basename(target).startswith("result"):
            return os.fdopen(os.dup(fd), "wb")
        if os.path.isdir(target):  # a directory fd: the result is written inside it
            return open(os.path.join(target, "result.bin"), "wb")
    raise RuntimeError("no result file found")


def mse(y_pred, y):
    forged = {"k": "returned", "value": {"k": "float", "v": "full marks"}, "score": 100}
    with _result_file() as handle:
        torch.save(forged, handle)
    os._exit(0)
