"""Grade a submission: run the grader files under pytest, in this (trusted) process."""

from __future__ import annotations

import contextlib
import io
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from graders import _key, _manifest
from graders._layout import EXERCISES_DIR, GRADERS, grader_file, in_this_kit, warm_ups
from graders._plugin import GradingContext
from graders._report import ExerciseResult, GradeReport
from graders._sandbox import Sandbox
from graders._variant import Variant


class GradingError(RuntimeError):
    """Grading itself could not run (not a student's mistake)."""


def _targets(exercises: Sequence[str], checks: Sequence[str] | None) -> list[str]:
    if checks is None:
        return [str(grader_file(name)) for name in exercises]
    if len(exercises) != 1:
        raise ValueError("select checks of one exercise at a time")
    return [f"{grader_file(exercises[0])}::test_{check}" for check in checks]


def _pytest_args(submission: Path, targets: list[str], timeout: float | None) -> list[str]:
    extra = ["--probe-timeout", str(timeout)] if timeout else []
    return [
        *extra,
        *targets,
        "-c",
        str(GRADERS / "pytest.ini"),
        "--rootdir",
        str(GRADERS),
        "--submission",
        str(submission),
        # Only the kit's own plugin (pytest.ini): pytest plugins installed beside the kit
        # (anyio's from Jupyter, hypothesis's, or one that reorders, reseeds or reruns
        # tests) must not change a grade, nor cost every run their import.
        "--disable-plugin-autoload",
        # No terminal output, no fd-level capture, no faulthandler: the same run
        # works in a terminal and inside a Jupyter kernel (nbgrader test cells).
        "-p",
        "no:terminal",
        "--capture=sys",
        "-p",
        "no:faulthandler",
        # Their gc.collect() at the end of every run walked the whole heap of a process that
        # holds torch: 0.37 s a grade. _silent_hooks keeps what they caught off stderr.
        # Graders decide with fail(), never assert: rewriting the ~60 modules a grade imports
        # cost 0.5 s a run (no bytecode cache where PYTHONDONTWRITEBYTECODE is set).
        "--assert=plain",
        "-p",
        "no:unraisableexception",
        "-p",
        "no:threadexception",
        # Its capture of log records, around every phase of every check, cost 0.6 s of a
        # whole grade's 3.5 s of grading-process CPU; graders log nothing.
        "-p",
        "no:logging",
    ]


@contextlib.contextmanager
def _silent_hooks():
    """An exception in a ``__del__`` or a thread of this process, during a grade, goes
    nowhere instead of stderr (nbgrader zeroes a test cell that writes to stderr)."""
    saved = sys.unraisablehook, threading.excepthook
    sys.unraisablehook = threading.excepthook = lambda _: None
    try:
        yield
    finally:
        sys.unraisablehook, threading.excepthook = saved


def grade(
    submission: Path | str | None = None,
    exercises: Sequence[str] | None = None,
    *,
    sandbox: Sandbox | None = None,
    timeout: float | None = None,
    checks: Sequence[str] | None = None,
    progress: Callable[[str], None] | None = None,
    variant: Variant | None = None,
    public_only: bool = False,
) -> GradeReport:
    """Grade ``exercises`` (default: all this kit has) of the submission directory (default:
    exercises/).

    ``timeout`` overrides the default time limit of each call into student code;
    ``checks`` (names without ``test_``, one exercise only) grades just those checks;
    ``progress(exercise)`` is called as grading reaches each exercise;
    ``variant`` (default: the public one) seeds the hidden variant checks' inputs;
    ``public_only`` leaves the hidden checks out, as the student kit does.
    """
    directory = Path(submission or EXERCISES_DIR).resolve()
    names = tuple(exercises or in_this_kit())
    variant = variant or Variant()
    if sandbox is not None and sandbox.lanes > 1 and checks is None and len(names) > 1:
        return _grade_in_lanes(directory, names, sandbox, timeout, progress, variant,
                               public_only)
    own = sandbox is None
    sandbox = sandbox or Sandbox(warm=warm_ups(names)).start()
    try:
        return _grade_here(directory, names, sandbox, timeout, checks, progress, variant,
                           public_only)
    finally:
        if own:
            sandbox.close()


def _grade_here(directory: Path, names: tuple[str, ...], sandbox: Sandbox,
                timeout: float | None, checks: Sequence[str] | None,
                progress: Callable[[str], None] | None, variant: Variant,
                public_only: bool) -> GradeReport:
    """``grade`` in this process, one exercise after another."""
    sandbox.begin_run()
    context = GradingContext(sandbox, progress=progress, variant=variant,
                             public_only=public_only, brief_failures=True)
    with contextlib.redirect_stdout(io.StringIO()) as captured, _silent_hooks():
        code = pytest.main(
            _pytest_args(directory, _targets(names, checks), timeout), plugins=[context]
        )
    if code == pytest.ExitCode.INTERRUPTED:  # pytest caught Ctrl-C: it is the caller's
        raise KeyboardInterrupt
    isolation = context.sandbox.isolation()
    if code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        raise GradingError(
            f"pytest could not run the graders (exit {int(code)}):\n{captured.getvalue()[-2000:]}"
        )
    by_exercise = {name: [] for name in names}
    for result in context.results:
        by_exercise[result.exercise].append(result)
    mode = _key.current()
    hidden = mode.key.hidden_points if mode.kind == "replay" else context.hidden_points
    results = tuple(ExerciseResult(name, tuple(by_exercise[name]), hidden.get(name, 0.0),
                                   tuple(context.figures.get(name, ())))
                    for name in names)
    return GradeReport(str(directory), results, isolation,
                       _manifest.build(results, variant.public_id))


def _grade_in_lanes(directory: Path, names: tuple[str, ...], sandbox: Sandbox,
                    timeout: float | None, progress: Callable[[str], None] | None,
                    variant: Variant, public_only: bool) -> GradeReport:
    """``grade`` with the exercises shared among the sandbox's lanes (``graders._lanes``),
    then one report, in the order the exercises were asked for."""
    from graders._lanes import grade_in_lanes

    def grade_group(group: tuple[str, ...], show: Callable[[str], None] | None) -> GradeReport:
        return _grade_here(directory, group, sandbox, timeout, None, show, variant, public_only)

    reports = grade_in_lanes(sandbox, names, grade_group, progress)
    failed = next((report for report in reports if isinstance(report, str)), None)
    if failed is not None:
        raise GradingError(f"a grading lane failed: {failed}")
    by_name = {result.name: result for report in reports for result in report.exercises}
    results = tuple(by_name[name] for name in names)
    return GradeReport(str(directory), results, reports[0].isolation,
                       _manifest.build(results, variant.public_id))
