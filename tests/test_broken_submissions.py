"""A broken exercise scores zero with a clear message; the others are still graded."""

from __future__ import annotations

import pytest

from graders import EXERCISES
from graders._layout import SOLUTIONS
from graders._report import FAILED

BROKEN = {
    "syntax error": ("def mse(y_pred, y:\n    return 0\n", "syntax error on line 1"),
    "sys.exit at import": ("import sys\nsys.exit(0)\n", "sys.exit(0)"),
    "native crash at import": (
        "import ctypes\nctypes.string_at(0)\n",
        "killed by signal SIGSEGV",
    ),
    "hang at import": ("while True:\n    pass\n", "timed out"),
    "os._exit mid-check": (
        "import os\ndef mse(y_pred, y):\n    os._exit(0)\n",
        "exited with status 0",
    ),
    "exception mid-check": (
        "def mse(y_pred, y):\n    raise RuntimeError('oops')\n",
        "RuntimeError: oops",
    ),
    "wrong function name": (
        "def mean_squared_error(y_pred, y):\n    return 0.0\n",
        "does not define `mse`",
    ),
    "infinite loop mid-check": (
        "def mse(y_pred, y):\n    while True:\n        pass\n",
        "timed out",
    ),
}


@pytest.fixture(scope="module")
def graded(grade_files):
    """One submission per kind of breakage, each beside a correct `device` exercise."""
    device = SOLUTIONS / "device.py"
    return {
        name: grade_files({"mse": source, "device": device}, ["mse", "device"], timeout=2)
        for name, (source, _) in BROKEN.items()
    }


@pytest.mark.parametrize("kind", BROKEN)
def test_broken_exercise_scores_zero_with_a_clear_message(graded, kind):
    mse = graded[kind].exercise("mse")
    assert mse.score == 0
    assert mse.max_score > 0
    expected = BROKEN[kind][1]
    hints = [c.hint for c in mse.checks if c.status == FAILED]
    assert hints
    assert all(expected in hint for hint in hints), hints[:2]
    assert all("Traceback" not in hint for hint in hints)


@pytest.mark.parametrize("kind", BROKEN)
def test_other_exercises_are_still_graded(graded, kind):
    device = graded[kind].exercise("device")
    assert device.score == device.max_score > 0


def test_missing_file_scores_zero_with_not_found(grade_files):
    report = grade_files({"mse": SOLUTIONS / "mse.py"}, list(EXERCISES))
    assert report.exercise("mse").score == report.exercise("mse").max_score
    for name in EXERCISES[1:]:
        result = report.exercise(name)
        assert result.score == 0 < result.max_score
        assert f"{name}.py not found" in result.first_hint
