"""``python -m graders autograde``: nbgrader's autograde, then the kit's own grading decides.

1. ``nbgrader autograde`` runs every submitted notebook in a kernel, as usual.
   A test cell's value there is the kernel's opinion: student code shares
   that kernel and can change what the test cells do.
2. The kit reads each submitted notebook's solution cells by grade_id (code
   only, never outputs), rebuilds ``<exercise>.py``, and grades it with the
   sandboxed engine, as ``python -m graders grade`` would. Those scores go
   into nbgrader's gradebook (each test cell's ``auto_score``; a grader's
   manual score still wins), so formgrader, feedback and export show them.
   Where the kernel's opinion differs, the summary says so and a gradebook
   comment on the notebook's first solution cell records it: that is the
   signature of tampering.
3. ``nbgrader generate_feedback`` (HTML per student) and ``nbgrader export``
   (CSV) then read the gradebook.
"""

from __future__ import annotations

import json
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from graders._layout import EXERCISES
from graders.nbgrader import execute as names
from graders.nbgrader._notebooks import check_of, grade_id, module_from_notebook
from graders.nbgrader._source import exercise_source
from graders.nbgrader.release import DEFAULT_ASSIGNMENT, DEFAULT_COURSE, run_nbgrader

MARK = "Autograder (torchgrade):"
TOLERANCE = 1e-6


@dataclass
class CellScore:
    cell: str  # the test cell's grade_id
    sandboxed: float
    worth: float
    kernel: float | None  # nbgrader's score from the kernel's output; None: not autograded
    hints: list[str] = field(default_factory=list)
    note: str = ""  # why the kernel did not grade it normally (timeout, dead kernel, ...)

    @property
    def mismatch(self) -> bool:
        return (
            self.kernel is not None
            and not self.note
            and abs(self.kernel - self.sandboxed) > TOLERANCE
        )


@dataclass
class NotebookResult:
    student: str
    exercise: str
    cells: list[CellScore] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    isolation: tuple = ()  # the sandbox's isolation layers, as grade() reports them

    @property
    def sandboxed(self) -> float:
        return sum(cell.sandboxed for cell in self.cells)

    @property
    def kernel(self) -> float | None:
        scores = [cell.kernel for cell in self.cells if cell.kernel is not None]
        return sum(scores) if scores else None

    def all_notes(self) -> list[str]:
        """The notebook's notes, then the test cells' notes, cells with the same note together."""
        groups: dict[str, list[str]] = {}
        for cell in self.cells:
            if cell.note:
                groups.setdefault(cell.note, []).append(cell.cell)
        return [
            *self.notes,
            *(
                f"{cells[0] if len(cells) == 1 else f'{len(cells)} test cells'}: {note}"
                for note, cells in groups.items()
            ),
        ]

    @property
    def worth(self) -> float:
        return sum(cell.worth for cell in self.cells)


def course_directory(course: Path):
    """nbgrader's CourseDirectory as the course's nbgrader_config.py sets it."""
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
    return CourseDirectory(config=config)


# --- the kernel's opinion, read from nbgrader's autograded notebook --------


def _errors(cell: dict) -> list[str]:
    return [
        out.get("ename", "") for out in cell.get("outputs", []) if out.get("output_type") == "error"
    ]


def _stop_note(enames: list[str]) -> str:
    for ename, note in (
        (names.TIMED_OUT, "timed out in the kernel"),
        (names.DIED, "the kernel died in this cell"),
        (names.HUNG, "the kernel hung in this cell"),
        (names.NOT_RUN, "not run: the kernel had stopped earlier"),
    ):
        if ename in enames:
            return note
    return ""


def kernel_opinions(autograded: Path) -> tuple[dict[str, tuple[float | None, str]], list[str]]:
    """Test cell grade_id to (nbgrader's score of the kernel's output, note); notebook notes."""
    from nbformat import from_dict
    from nbgrader.utils import determine_grade, is_grade, is_solution

    if not autograded.is_file():
        return {}, ["nbgrader could not autograde this notebook (see its log)"]
    notebook = json.loads(autograded.read_text())
    opinions, notes = {}, []
    for number, raw in enumerate(notebook.get("cells", []), start=1):
        cell = from_dict(raw)
        enames = _errors(cell)
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and is_grade(cell) and not is_solution(cell):
            try:
                score = determine_grade(cell)[0]
            except (ValueError, KeyError, TypeError):
                score = None
            opinions[meta["grade_id"]] = (score, _stop_note(enames))
        elif _stop_note(enames) and names.NOT_RUN not in enames:
            where = meta.get("grade_id") or "a cell added by the student"
            notes.append(f"cell {number} ({where}): {_stop_note(enames)}")
    return opinions, notes


# --- the sandboxed grading ---------------------------------------------------


def sandboxed_scores(report, exercise: str) -> dict[str, tuple[float, float, list[str]]]:
    """Test cell grade_id to (points earned, points worth, hints), from a grade() report."""
    from graders._report import PASSED

    scores: dict[str, tuple[float, float, list[str]]] = {}
    for result in report.exercise(exercise).checks:
        cell = f"{exercise}-test-{result.check.split('[')[0]}"
        earned, worth, hints = scores.get(cell, (0.0, 0.0, []))
        if result.status != PASSED and result.hint:
            hints = [*hints, result.hint]
        scores[cell] = (earned + result.points, worth + result.max_points, hints)
    return scores


def _grade_notebook(path: Path, exercise: str, work: Path, sandbox):
    from graders._engine import grade

    try:
        notebook = json.loads(path.read_text())
    except (OSError, ValueError) as error:
        notebook = {}
        note = f"the submitted notebook could not be read ({error})"
    else:
        note = ""
    directory = work / "submission"  # its parent holds nothing else
    directory.mkdir(parents=True)
    (directory / f"{exercise}.py").write_text(module_from_notebook(notebook, exercise))
    return grade(directory, [exercise], sandbox=sandbox), note


def _submitted(coursedir, gradebook, assignment: str):
    """(student, exercise, submitted notebook, autograded notebook) for every submission."""
    from nbgrader.api import MissingEntry

    try:
        notebooks = [nb.name for nb in gradebook.find_assignment(assignment).notebooks]
    except MissingEntry:
        raise SystemExit(
            f"no assignment {assignment!r} in the gradebook: run `python -m graders release` first"
        ) from None
    root = Path(coursedir.root)
    for submission in gradebook.assignment_submissions(assignment):
        student = submission.student.id
        for exercise in sorted(set(notebooks) & set(EXERCISES)):
            name = Path(student, assignment, f"{exercise}.ipynb")
            submitted = root / coursedir.submitted_directory / name
            if submitted.is_file():  # else nbgrader has already given it zero
                yield student, exercise, submitted, root / coursedir.autograded_directory / name


def regrade(course: Path, assignment: str) -> list[NotebookResult]:
    """Grade every submitted notebook in the sandbox, and write the scores to the gradebook."""
    from nbgrader.api import Gradebook

    from graders._sandbox import Sandbox

    coursedir = course_directory(course)
    results: list[NotebookResult] = []
    with (
        Sandbox(hidden=(coursedir.root,)) as sandbox,  # no child sees the course
        Gradebook(coursedir.db_url, coursedir.course_id) as gradebook,
        tempfile.TemporaryDirectory(prefix="torchgrade-autograde-") as work,
    ):
        for student, exercise, submitted, autograded in _submitted(
            coursedir, gradebook, assignment
        ):
            folder = Path(work) / f"{len(results)}"
            report, note = _grade_notebook(submitted, exercise, folder, sandbox)
            result = _compare(student, exercise, report, autograded)
            result.notes += [note] if note else []
            _record(gradebook, assignment, result)
            results.append(result)
    return results


def _compare(student: str, exercise: str, report, autograded: Path) -> NotebookResult:
    opinions, notes = kernel_opinions(autograded)
    result = NotebookResult(
        student, exercise, notes=notes, isolation=tuple(getattr(report, "isolation", ()))
    )
    for cell, (earned, worth, hints) in sandboxed_scores(report, exercise).items():
        if worth <= 0:
            continue  # 0-point checks (CUDA) have no test cell
        kernel, note = opinions.get(cell, (None, ""))
        result.cells.append(CellScore(cell, earned, worth, kernel, hints, note))
    return result


# --- the gradebook -----------------------------------------------------------


def _record(gradebook, assignment: str, result: NotebookResult) -> None:
    """Each test cell's auto_score becomes the sandboxed score; differences become a comment."""
    from nbgrader.api import MissingEntry

    scored = {cell.cell: cell for cell in result.cells}
    notebook = gradebook.find_submission_notebook(result.exercise, assignment, result.student)
    for grade in notebook.grades:
        cell = scored.pop(grade.name, None)
        if cell is not None and check_of(result.exercise, grade.name) is not None:
            grade.auto_score = cell.sandboxed
            grade.needs_manual_grade = grade.manual_score is not None
    if scored:  # the grader changed after the release
        result.notes.append(
            f"checks without a test cell in the released notebook, not "
            f"recorded: {', '.join(scored)} (release the assignment again)"
        )
    first = grade_id(result.exercise, exercise_source(result.exercise).solution_names[0])
    try:
        comment = gradebook.find_comment(first, result.exercise, assignment, result.student)
    except MissingEntry:
        gradebook.db.commit()
        return
    base = (comment.auto_comment or "").split(MARK)[0].strip()
    ours = comment_text(result)
    comment.auto_comment = "\n\n".join(part for part in (base, ours) if part) or None
    gradebook.db.commit()


def comment_text(result: NotebookResult) -> str:
    lines = []
    mismatched = [cell for cell in result.cells if cell.mismatch]
    if mismatched:
        lines.append(
            "the scores of these test cells come from grading your solution cells on "
            "their own; the notebook's kernel said otherwise, which happens when code "
            "in the notebook changes how the tests run:"
        )
        for cell in mismatched:
            hint = f" {cell.hints[0]}" if cell.hints else ""
            lines.append(
                f"- {cell.cell}: {cell.sandboxed:g}/{cell.worth:g} "
                f"(the kernel said {cell.kernel:g}).{hint}"
            )
    notes = result.all_notes()
    if any(cell.note for cell in result.cells):
        notes.append(
            f"the solution cells were graded on their own: {result.sandboxed:g}/{result.worth:g}"
        )
    lines += [f"- {note}." for note in notes]
    return f"{MARK} " + "\n".join(lines) if lines else ""


# --- the command -------------------------------------------------------------


def _points(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def print_summary(results: list[NotebookResult]) -> None:
    width = max([7, *(len(r.student) for r in results)])
    wide = max([8, *(len(r.exercise) for r in results)])
    print(
        f"\n{'student':<{width}}  {'exercise':<{wide}}  {'kernel':>6}  {'score':>6}  "
        f"{'max':>5}  notes"
    )
    for r in results:
        flag = "MISMATCH" if any(cell.mismatch for cell in r.cells) else ""
        notes = "; ".join(filter(None, [flag, *r.all_notes()]))
        print(
            f"{r.student:<{width}}  {r.exercise:<{wide}}  {_points(r.kernel):>6}  "
            f"{_points(r.sandboxed):>6}  {_points(r.worth):>5}  {notes}"
        )
    _print_isolation(results)
    for r in results:
        for cell in r.cells:
            if cell.mismatch:
                print(
                    f"MISMATCH {r.student} / {r.exercise} / {cell.cell}: the kernel said "
                    f"{cell.kernel:g}, the sandboxed grading {cell.sandboxed:g} (of "
                    f"{cell.worth:g}): the signature of tampering; the sandboxed score is "
                    "recorded."
                )


def _print_isolation(results: list[NotebookResult]) -> None:
    """Sandbox layers this machine could not apply, as `python -m graders grade` shows them."""
    from graders._report import GradeReport, render_isolation

    missing = next(
        (r.isolation for r in results if any(not layer.active for layer in r.isolation)), ()
    )
    if missing:
        print(render_isolation(GradeReport("", (), missing)))


def autograde(course: Path, assignment: str, *, log_level: str = "WARN") -> tuple[int, list]:
    """nbgrader autograde, the sandboxed grading, then feedback and the CSV export."""
    course = course.resolve()
    if not (course / "nbgrader_config.py").is_file():
        raise SystemExit(f"no course in {course}: run `python -m graders release` first")
    nbgrader_code = run_nbgrader(
        course,
        "autograde",
        assignment,
        "--create",
        "--force",
        f"--log-level={log_level}",
        check=False,
    )
    results = regrade(course, assignment)
    print_summary(results)
    run_nbgrader(course, "generate_feedback", assignment, "--force", f"--log-level={log_level}")
    run_nbgrader(course, "export", "--to", str(course / "grades.csv"), f"--log-level={log_level}")
    print(f"\nfeedback: {course / 'feedback'}\ngrades: {course / 'grades.csv'}")
    if nbgrader_code:
        print(
            "nbgrader autograde reported errors (see its log above); the notebooks it "
            "could not run were still graded in the sandbox.",
            file=sys.stderr,
        )
    return (1 if nbgrader_code else 0), results


def main(course: Path | None, assignment: str | None) -> int:
    code, _ = autograde(course or DEFAULT_COURSE, assignment or DEFAULT_ASSIGNMENT)
    return code
