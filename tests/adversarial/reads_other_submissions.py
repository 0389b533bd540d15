"""Looks for another student's mse.py beside its own directory, and copies it if found.

The submission's original path is still in the child's memory (the probe
request); its parent directory and every sibling are covered by an empty mount.

checks: numpy_returns_float
score: 0
hint: sandbox held
requires: filesystem
"""

import gc
import glob
import os


def _original_directory() -> str:
    for thing in gc.get_objects():
        directory = getattr(thing, "directory", None)
        if type(thing).__name__ == "ProbeRequest" and isinstance(directory, str):
            return directory
    return os.path.dirname(os.path.abspath(__file__))


def _others() -> list[str]:
    own = _original_directory()
    patterns = [os.path.join(os.path.dirname(own), "*", "mse.py"),
                os.path.join(os.path.dirname(os.path.dirname(own)), "*", "*", "mse.py"),
                "/tmp/pytest-of-*/pytest-*/*/*/mse.py", "/tmp/*/*/mse.py"]
    found = []
    for pattern in patterns:
        found += [p for p in glob.glob(pattern) if not p.startswith(own)]
    return found


def mse(y_pred, y):
    for path in _others():
        try:
            with open(path) as handle:
                source = handle.read()
        except OSError:
            continue
        scope = {}
        try:
            exec(source, scope)  # the attack
            return scope["mse"](y_pred, y)
        except Exception:  # a broken neighbour: try the next
            continue
    raise RuntimeError("sandbox held: no other submission readable")
