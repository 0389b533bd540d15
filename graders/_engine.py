"""Grade a submission: run the grader files under pytest, in this (trusted) process."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Sequence
from pathlib import Path

import pytest

from graders._layout import EXERCISES, EXERCISES_DIR, GRADERS, grader_file
from graders._plugin import GradingContext
from graders._report import ExerciseResult, GradeReport
from graders._sandbox import Sandbox


class GradingError(RuntimeError):
    """Grading itself could not run (not a student's mistake)."""


def _pytest_args(submission: Path, exercises: Sequence[str], timeout: float | None) -> list[str]:
    extra = ["--probe-timeout", str(timeout)] if timeout else []
    return [*extra,
        *(str(grader_file(name)) for name in exercises),
        "-c", str(GRADERS / "pytest.ini"),
        "--rootdir", str(GRADERS),
        "--submission", str(submission),
        "-p", "no:terminal",
    ]


def grade(submission: Path | str | None = None, exercises: Sequence[str] | None = None, *,
          sandbox: Sandbox | None = None, timeout: float | None = None) -> GradeReport:
    """Grade ``exercises`` (default: all) of the submission directory (default: exercises/).

    ``timeout`` overrides the default time limit of each call into student code.
    """
    directory = Path(submission or EXERCISES_DIR).resolve()
    names = tuple(exercises or EXERCISES)
    own = sandbox is None
    context = GradingContext(sandbox or Sandbox().start())
    try:
        with contextlib.redirect_stdout(io.StringIO()) as captured:
            code = pytest.main(_pytest_args(directory, names, timeout), plugins=[context])
    finally:
        if own:
            context.sandbox.close()
    if code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        raise GradingError(f"pytest could not run the graders (exit {int(code)}):\n"
                           f"{captured.getvalue()[-2000:]}")
    by_exercise = {name: [] for name in names}
    for result in context.results:
        by_exercise[result.exercise].append(result)
    return GradeReport(
        str(directory),
        tuple(ExerciseResult(name, tuple(by_exercise[name])) for name in names),
    )
