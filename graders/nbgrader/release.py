"""``python -m graders release``: an nbgrader course directory, built from solutions/ and docs/.

Writes ``nbgrader_config.py`` and ``source/<assignment>/<exercise>.ipynb`` (one
notebook per exercise, generated: never edit them by hand), then runs the real
``nbgrader generate_assignment``, which writes the student version to
``release/<assignment>/``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from graders._layout import ROOT

DEFAULT_COURSE = ROOT / "course"
DEFAULT_ASSIGNMENT = "pytorch-basics"
CELL_TIMEOUT = 60  # seconds per cell, where nbgrader still runs a kernel: `nbgrader validate`
LOCAL_CONFIG = "nbgrader_config_local.py"

# nbgrader's autograde steps with its Execute replaced: no kernel starts, test cells get the
# scores the kit's sandbox gave, and the kit's comment follows SaveAutoGrades
# (graders.nbgrader.scores). `python -m graders autograde` also passes this list on
# nbgrader's command line, where it wins over any config file.
AUTOGRADE_PREPROCESSORS = (
    "graders.nbgrader.scores.SandboxScores",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "graders.nbgrader.scores.SandboxComment",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
)
# nbgrader's sanitizing steps before them, with OverwriteCells replaced by RestoreCells:
# the same restoring, but a test cell a student edited is the kit's note (naming the
# student), not a log warning naming no one.
SANITIZE_PREPROCESSORS = (
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "graders.nbgrader.scores.RestoreCells",
    "nbgrader.preprocessors.CheckCellMetadata",
)
# generate_feedback's steps, then the kit's: no test cell values, hints that wrap.
FEEDBACK_PREPROCESSORS = (
    "nbgrader.preprocessors.GetGrades",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    "graders.nbgrader.feedback.ReadableFeedback",
)

CONFIG = """\
# Written by `python -m graders release`, and rewritten by every release: do not edit.
# Your own settings (course_id, the exchange, ...) go in {local}, loaded last.
import os

c = get_config()  # noqa: F821
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))

# Autograde runs no student code outside the kit's sandbox: nbgrader's Execute step is
# replaced by the sandbox's scores. Grade with `python -m graders autograde`; nbgrader's
# own `autograde` (or formgrader's button) gives every test cell 0 with a note instead.
c.Autograde.sanitize_preprocessors = {sanitize}
c.Autograde.autograde_preprocessors = {preprocessors}
# Feedback pages without the test cells' values (the points nbgrader reads), hints wrapped.
c.GenerateFeedback.preprocessors = {feedback}

# Where you run a kernel yourself (`nbgrader validate`): a time limit per cell.
c.Execute.timeout = {cell_timeout}
c.Execute.interrupt_on_timeout = True

load_subconfig(os.path.join(c.CourseDirectory.root, "{local}"))  # noqa: F821
"""


class NbgraderFailed(RuntimeError):
    """An nbgrader command exited with an error."""


def nbgrader_environment() -> dict[str, str]:
    """nbgrader, and the kernels it starts, must import this kit (and find `alembic`)."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join(filter(None, [os.path.dirname(sys.executable), env.get("PATH")]))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def run_nbgrader(course: Path, *args: str, check: bool = True) -> int:
    """Run ``nbgrader ARGS`` in the course directory, its log shown as it goes."""
    command = [sys.executable, "-m", "nbgrader", *args]
    print(f"$ nbgrader {' '.join(args)}", flush=True)
    code = subprocess.run(command, cwd=course, env=nbgrader_environment(), check=False).returncode
    if check and code != 0:
        raise NbgraderFailed(f"`nbgrader {' '.join(args)}` failed (exit {code})")
    return code


def write_config(course: Path, cell_timeout: int = CELL_TIMEOUT) -> Path:
    path = course / "nbgrader_config.py"
    path.write_text(
        CONFIG.format(
            local=LOCAL_CONFIG,
            cell_timeout=int(cell_timeout),
            sanitize=_python_list(SANITIZE_PREPROCESSORS),
            preprocessors=_python_list(AUTOGRADE_PREPROCESSORS),
            feedback=_python_list(FEEDBACK_PREPROCESSORS),
        )
    )
    return path


def _python_list(names: Sequence[str]) -> str:
    return "[\n" + "".join(f'    "{name}",\n' for name in names) + "]"


def write_source(course: Path, assignment: str, exercises: Sequence[str]) -> list[Path]:
    """``source/<assignment>/<exercise>.ipynb``; the folder is generated, so it is replaced."""
    import nbformat

    from graders.nbgrader._notebooks import build_notebook
    from graders.nbgrader._points import check_points, hidden_checks

    folder = course / "source" / assignment
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    written = []
    for exercise in exercises:
        notebook = build_notebook(exercise, check_points(exercise), hidden_checks(exercise))
        nbformat.validate(notebook)
        path = folder / f"{exercise}.ipynb"
        nbformat.write(notebook, path)
        written.append(path)
    return written


def release(
    course: Path,
    assignment: str,
    exercises: Sequence[str],
    *,
    cell_timeout: int = CELL_TIMEOUT,
    log_level: str = "WARN",
) -> Path:
    """Build the course's source notebooks and run ``nbgrader generate_assignment``."""
    course = course.resolve()
    course.mkdir(parents=True, exist_ok=True)
    write_config(course, cell_timeout)
    for path in write_source(course, assignment, exercises):
        print(f"wrote {path.relative_to(course)}")
    run_nbgrader(
        course, "generate_assignment", assignment, "--force", "--create", f"--log-level={log_level}"
    )
    released = course / "release" / assignment
    print(f"released {len(exercises)} notebook(s) to {released}")
    return released


def main(
    course: Path | None,
    assignment: str | None,
    exercises: Sequence[str],
    cell_timeout: int = CELL_TIMEOUT,
) -> int:
    from graders._layout import EXERCISES

    try:
        release(
            course or DEFAULT_COURSE,
            assignment or DEFAULT_ASSIGNMENT,
            list(exercises) or list(EXERCISES),
            cell_timeout=cell_timeout,
        )
    except NbgraderFailed as error:
        print(
            f"{error}. Once students have submitted an assignment, nbgrader refuses to "
            "add or remove its cells: release the changed exercises under a new "
            "assignment name.",
            file=sys.stderr,
        )
        return 1
    return 0
