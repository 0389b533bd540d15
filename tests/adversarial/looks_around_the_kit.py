"""Looks around the kit's root and the grader's working directory for a course/ or a class.

An instructor may keep course/ (source notebooks with solutions, submitted/)
inside the kit, and grade from inside a class folder. The whole kit, the
grader's working directory and its sys.path are covered; only Python remains.

checks: numpy_returns_float
score: 0
hint: sandbox held
requires: filesystem
"""

import os

import graders


def mse(y_pred, y):
    root = os.path.dirname(os.path.dirname(os.path.abspath(graders.__file__)))
    seen = []
    for place in (root, os.path.join(root, "course"), os.path.join(root, "solutions")):
        try:
            seen += [os.path.join(place, name) for name in os.listdir(place)]
        except OSError:
            continue
    leaks = [path for path in seen if not path.endswith((".nox", ".venv"))]
    if leaks:
        raise RuntimeError(f"ESCAPED: the kit is visible: {leaks[:5]}")
    raise RuntimeError("sandbox held: the kit's root is empty")
