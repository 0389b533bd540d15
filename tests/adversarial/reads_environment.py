"""Looks for secrets in environment variables: its own and every process it can see.

A hint shows what the code returned or raised, so whatever it finds would
reach the student. The fork server starts with a scrubbed environment (which
/proc/self/environ still shows a child), children scrub theirs again, and
they see only their own PID namespace.

checks: numpy_returns_float
score: 0
hint: sandbox held
requires: process view
"""

import os
from pathlib import Path

# What the fork server and the child are given on purpose (graders/_sandbox.py, _isolation.py).
SCRUBBED = {"PATH", "LANG", "LC_ALL", "TZ", "HOME", "CUDA_VISIBLE_DEVICES", "VIRTUAL_ENV",
            "PYTHONPATH", "PYTHONDONTWRITEBYTECODE", "TMPDIR", "OMP_NUM_THREADS"}


def _names() -> set[str]:
    names = set(os.environ)
    for entry in Path("/proc").iterdir():
        try:
            environ = (entry / "environ").read_bytes() if entry.name.isdigit() else b""
        except OSError:
            continue
        names |= {item.split(b"=", 1)[0].decode(errors="replace")
                  for item in environ.split(b"\0") if b"=" in item}
    return names


def mse(y_pred, y):
    seen = sorted(_names() - SCRUBBED)
    if seen:
        raise RuntimeError(f"ESCAPED: saw environment variables {seen[:20]}")
    raise RuntimeError("sandbox held: only the scrubbed environment is visible")
