"""torchgrade's grading engine and graders.

The public API is small: ``grade()`` returns a ``GradeReport``; grader checks
are written with ``fail``, ``show``, ``number``, ``expect_tensor``,
``expect_float``, ``close`` and ``tensors_close``, and talk to student code only
through the ``submission`` fixture (a ``Submission``).
"""

from graders._checks import (
    CheckFailed,
    StudentError,
    close,
    expect_float,
    expect_tensor,
    fail,
    number,
    show,
    tensors_close,
)
from graders._layout import EXERCISES
from graders._report import CheckResult, ExerciseResult, GradeReport
from graders._wire import Crashed, Missing, Opaque, Raised, Returned, TensorInfo

__all__ = [
    "EXERCISES",
    "CheckFailed",
    "CheckResult",
    "Crashed",
    "ExerciseResult",
    "GradeReport",
    "Missing",
    "Opaque",
    "Raised",
    "Returned",
    "StudentError",
    "TensorInfo",
    "close",
    "expect_float",
    "expect_tensor",
    "fail",
    "grade",
    "number",
    "show",
    "tensors_close",
]


def __getattr__(name: str):
    # grade() pulls in pytest and torch; keep `import graders` cheap for the fork server.
    if name == "grade":
        from graders._engine import grade

        return grade
    raise AttributeError(name)
