"""torchgrade's grading engine and graders.

The public API is small: ``grade()`` returns a ``GradeReport``; grader checks
are written with ``fail``, ``show``, ``number``, ``expect_tensor``,
``expect_float``, ``expect_count``, ``close`` and ``tensors_close``, name their
cases with ``case_ids``, explain a wrong result with ``first_match`` (a
``Finding``), record pictures for the HTML report with the ``figure`` fixture
(``LossCurves``, ``ShapeTable``, ``Gradients``, ``Softmax``), and talk to student
code only through the ``submission`` fixture (a ``Submission``; ``submission.shared``
runs a probe once per grading run), and reach the reference only through
``answer_key(exercise)``, which replays recorded answers in the student kit. Hidden
checks (``@pytest.mark.hidden``) may draw their inputs from the student's ``variant``
fixture.
Graders import only these names, never ``graders._x``.
"""

from graders._checks import (
    CheckFailed,
    StudentError,
    case_ids,
    close,
    expect_count,
    expect_float,
    expect_tensor,
    fail,
    number,
    show,
    tensors_close,
)
from graders._figures import Gradients, LossCurves, ShapeTable, Softmax
from graders._findings import Finding, first_match
from graders._key import answer_key
from graders._layout import EXERCISES
from graders._report import CheckResult, ExerciseResult, GradeReport
from graders._wire import Crashed, Missing, Opaque, Raised, Returned, TensorInfo

__all__ = [
    "EXERCISES",
    "CheckFailed",
    "CheckResult",
    "Crashed",
    "ExerciseResult",
    "Finding",
    "GradeReport",
    "Gradients",
    "LossCurves",
    "Missing",
    "Opaque",
    "Raised",
    "Returned",
    "ShapeTable",
    "Softmax",
    "StudentError",
    "Submission",
    "TensorInfo",
    "answer_key",
    "case_ids",
    "close",
    "expect_count",
    "expect_float",
    "expect_tensor",
    "fail",
    "first_match",
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
    if name == "Submission":
        from graders._submission import Submission

        return Submission
    raise AttributeError(name)
