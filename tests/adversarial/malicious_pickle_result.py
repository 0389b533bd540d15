"""Writes a malicious pickle into its result file: loading it would run a shell command.

The parent reads results in a closed binary format of its own (graders/_wire.py)
and never unpickles anything: the pickle is simply outside the protocol.

checks: numpy_returns_float
score: 0
hint: outside the grading protocol
"""

import os
import pickle


class Exploit:
    def __reduce__(self):
        return (os.system, ("touch /tmp/torchgrade-pwned-pickle",))


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
    with _result_file() as handle:
        pickle.dump({"k": "returned", "value": Exploit()}, handle)
    os._exit(0)
