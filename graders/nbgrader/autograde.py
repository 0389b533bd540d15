"""``python -m graders autograde``: the kit grades in its sandbox, nbgrader keeps the books.

No student code runs outside the sandbox. nbgrader's autograde used to run every
submitted notebook in an ordinary kernel as the instructor, where a notebook could
rewrite the kit; here nbgrader starts no kernel at all.

1. Before any student work is read: the kit's files are hashed (``graders._kit``),
   the assignment's graders (``graders.test_<exercise>``), reference solutions
   (``solutions.<exercise>``) and given code are loaded into memory, and the fork
   server starts, hiding the course from its children.
2. Each submitted notebook's solution cells are read by grade_id (code only, never
   outputs), rebuilt into ``<exercise>.py`` around the in-memory given code, and
   graded by the sandboxed engine, as ``python -m graders grade`` would. The kit
   is verified before each notebook: pytest looks at the graders' folder each time.
3. The kit is verified, then ``graders.nbgrader.books`` runs nbgrader's autograde
   with its Execute step replaced by ``graders.nbgrader.scores.SandboxScores``
   (each test cell's output becomes the sandboxed points and hints, which
   nbgrader's SaveAutoGrades records; a manual score still wins), then
   ``generate_feedback`` and ``export``.
4. Each student's HTML report and the class report are written to
   ``<course>/reports/<assignment>/`` (``graders._html``, ``graders._class_report``).
5. The kit is verified once more. A changed kit stops the run, naming the changed
   files (exit 3).
"""

from __future__ import annotations

import importlib
import json
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from graders._kit import KitChanged, KitDigest, kit_digest, verify
from graders._layout import ALL_WARM_UPS, EXERCISES
from graders._lms import write_from_nbgrader
from graders.nbgrader._notebooks import (
    cell_grade_id,
    cell_source,
    check_cell_id,
    check_of,
    notebook_cells,
    submitted_solutions,
)
from graders.nbgrader._source import ExerciseSource, exercise_source
from graders.nbgrader.release import DEFAULT_ASSIGNMENT, DEFAULT_COURSE, nbgrader_environment

MARK = "Autograder (torchgrade):"
KIT_CHANGED = 3  # exit status: the kit's files changed during the run
MAX_NOTEBOOK_BYTES = 32 * 1024 * 1024  # a submitted notebook larger than this is not read
MAX_COMMENT_HINT = 300  # characters of a hint quoted in the gradebook comment
HIDDEN_TESTS = "### BEGIN HIDDEN TESTS"  # in an older release's hidden check cells


@dataclass(frozen=True)
class CellScore:
    cell: str  # the test cell's grade_id
    earned: float
    worth: float
    hints: tuple[str, ...] = ()
    text: str = ""  # the test cell's output in the feedback: what the student's run prints


@dataclass(frozen=True)
class NotebookResult:
    student: str
    exercise: str
    cells: tuple[CellScore, ...] = ()
    notes: tuple[str, ...] = ()
    isolation: tuple = ()  # the sandbox's isolation layers, as grade() reports them
    graded: bool = True  # False: grading itself failed (the test cells get 0)
    report: object = field(default=None, compare=False, repr=False)  # grade()'s GradeReport

    @property
    def score(self) -> float:
        return sum(cell.earned for cell in self.cells)

    @property
    def worth(self) -> float:
        return sum(cell.worth for cell in self.cells)


@dataclass(frozen=True)
class Submitted:
    student: str
    exercise: str
    path: Path  # the submitted notebook


@dataclass(frozen=True)
class Run:
    """What one autograde run shares: the course, the kit as it was, the references."""

    course: Path
    assignment: str
    coursedir: object  # nbgrader's CourseDirectory
    kit: KitDigest
    references: dict[str, ExerciseSource]
    test_cells: dict[str, frozenset[str]]  # each notebook's released test cells, by grade_id
    locked: dict[str, dict[str, str]] = field(default_factory=dict)  # notebook: grade_id: code


def course_directory(course: Path):
    """nbgrader's CourseDirectory as the course's nbgrader_config.py sets it."""
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
    return CourseDirectory(config=config)


# --- before any student work: the kit, in memory ---------------------------------


def released_test_cells(coursedir, assignment: str) -> dict[str, frozenset[str]]:
    """The kit's exercises among the assignment's notebooks, with their test cells."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(coursedir.db_url, coursedir.course_id) as gradebook:
        try:
            notebooks = gradebook.find_assignment(assignment).notebooks
        except MissingEntry:
            raise SystemExit(
                f"no assignment {assignment!r} in the gradebook: "
                "run `python -m graders release` first"
            ) from None
        cells = {nb.name: frozenset(cell.name for cell in nb.grade_cells) for nb in notebooks}
    return {name: cells[name] for name in EXERCISES if name in cells}


def locked_sources(coursedir, assignment: str) -> dict[str, dict[str, str]]:
    """Each notebook's locked cells as released, by grade_id: their code."""
    from nbgrader.api import Gradebook

    with Gradebook(coursedir.db_url, coursedir.course_id) as gradebook:
        notebooks = gradebook.find_assignment(assignment).notebooks
        return {
            nb.name: {cell.name: cell.source for cell in nb.source_cells
                      if cell.locked and HIDDEN_TESTS not in cell.source}
            for nb in notebooks
        }


def edited_cells(notebook: dict, locked: dict[str, str]) -> tuple[str, ...]:
    """A note naming the locked cells whose code the student changed (nbgrader puts them
    back; the score never depended on them), in the student's line and comment."""
    edited = sorted(
        {
            cell_id
            for cell in notebook_cells(notebook)
            if (cell_id := cell_grade_id(cell)) in locked and cell_source(cell) != locked[cell_id]
        }
    )
    if not edited:
        return ()
    return (f"read-only cells edited in the submission, put back as released (no effect on "
            f"the score): {', '.join(edited)}",)


def load_references(exercises: Iterable[str]) -> dict[str, ExerciseSource]:
    """Import each exercise's grader and reference solution, and read its given code.

    Done before any submission is read: grading then uses these modules (pytest
    finds them in ``sys.modules``) and this given code, whatever happens on disk.
    """
    references = {}
    for exercise in exercises:
        importlib.import_module(f"graders.test_{exercise}")
        importlib.import_module(f"solutions.{exercise}")
        references[exercise] = exercise_source(exercise)
    return references


# --- the sandboxed grading ---------------------------------------------------------


def find_submissions(run: Run) -> list[Submitted]:
    """Every submitted notebook of the assignment, by student (as nbgrader finds them)."""
    coursedir = run.coursedir
    folder = Path(coursedir.root) / coursedir.submitted_directory
    students = sorted(p.name for p in folder.glob("*") if p.is_dir() and p.name[0] != ".")
    found = []
    for student in students:
        place = Path(coursedir.format_path(coursedir.submitted_directory, student, run.assignment))
        for exercise in run.references:
            path = place / f"{exercise}.ipynb"
            if path.is_file() or path.is_symlink():  # else nbgrader has already given it zero
                found.append(Submitted(student, exercise, path))
    return found


def read_notebook(path: Path) -> tuple[dict, str]:
    """The submitted notebook as JSON, or {} and why it could not be read."""
    if path.is_symlink():  # it could point at the source notebook, which holds the solutions
        return {}, "the submitted notebook is a symbolic link: not read, graded as empty"
    try:
        if path.stat().st_size > MAX_NOTEBOOK_BYTES:
            raise ValueError(f"over {MAX_NOTEBOOK_BYTES // 2**20} MiB")
        notebook = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError) as error:
        return {}, f"the submitted notebook could not be read ({type(error).__name__}: {error})"
    return (notebook, "") if isinstance(notebook, dict) else ({}, "the file is not a notebook")


def cell_scores(report, exercise: str) -> tuple[CellScore, ...]:
    """grade()'s results summed per test cell; checks worth 0 points (CUDA) have none."""
    from graders._report import PASSED
    from graders.nbgrader.kernel import results_text

    by_check: dict[str, list] = {}
    for result in report.exercise(exercise).checks:
        by_check.setdefault(result.check.split("[")[0], []).append(result)
    cells = []
    for check, results in by_check.items():
        earned = round(sum(r.points for r in results), 6)
        worth = sum(r.max_points for r in results)
        if worth <= 0:
            continue
        hints = tuple(r.hint for r in results if r.status != PASSED and r.hint)
        text = results_text(exercise, check, results, earned, worth)
        cells.append(CellScore(check_cell_id(exercise, check), earned, worth, hints, text))
    return tuple(cells)


def grade_notebook(run: Run, submitted: Submitted, sandbox, work: Path) -> NotebookResult:
    """Grade the notebook's solution cells in the sandbox, around the in-memory given code."""
    from graders._engine import GradingError, grade
    from graders._sandbox import SandboxBroken
    from graders._variant import for_student

    source = run.references[submitted.exercise]
    notebook, note = read_notebook(submitted.path)
    notes = (note,) if note else ()
    notes += edited_cells(notebook, run.locked.get(submitted.exercise, {}))
    directory = work / "submission"  # its parent holds nothing else
    directory.mkdir(parents=True)
    code = source.rebuild(submitted_solutions(notebook, source))
    (directory / f"{submitted.exercise}.py").write_text(code)
    verify(run.kit)  # pytest is about to read the graders' folder (a new conftest.py, say)
    try:
        # The student's variant, from nbgrader's student id; the secret is in the course,
        # which no child sees.
        report = grade(directory, [submitted.exercise], sandbox=sandbox,
                       variant=for_student(submitted.student, run.course))
    except (GradingError, SandboxBroken) as error:
        why = str(error).splitlines()[0] if str(error) else type(error).__name__
        return NotebookResult(
            submitted.student,
            submitted.exercise,
            notes=(*notes, f"could not be graded ({why}): run autograde again"),
            graded=False,
        )
    cells = cell_scores(report, submitted.exercise)
    notes += release_notes(submitted.exercise, cells, run.test_cells[submitted.exercise])
    isolation = tuple(getattr(report, "isolation", ()))
    return NotebookResult(submitted.student, submitted.exercise, cells, notes, isolation,
                          report=report)


def release_notes(
    exercise: str, cells: tuple[CellScore, ...], released: frozenset[str]
) -> tuple[str, ...]:
    """Where the grader and the released notebook disagree (the grader changed since)."""
    graded = {cell.cell for cell in cells}
    unrecorded = sorted(graded - released)
    ungraded = sorted(name for name in released - graded if check_of(exercise, name) is not None)
    notes = []
    if unrecorded:
        notes.append(
            f"checks without a test cell in the released notebook, not recorded: "
            f"{', '.join(unrecorded)} (release the assignment again)"
        )
    if ungraded:
        notes.append(f"test cells the grader no longer has, 0 points: {', '.join(ungraded)}")
    return tuple(notes)


def grade_all(run: Run, submissions: list[Submitted], sandbox, work: Path) -> list[NotebookResult]:
    results = []
    for number, submitted in enumerate(submissions, start=1):
        result = grade_notebook(run, submitted, sandbox, work / str(number))
        score = f"{result.score:g}/{result.worth:g}" if result.graded else "not graded"
        print(f"[{number}/{len(submissions)}] {result.student} / {result.exercise}: {score}")
        results.append(result)
    return results


# --- nbgrader: the autograded notebooks, the gradebook, feedback, export ------------


def write_scores(results: list[NotebookResult], path: Path) -> Path:
    """The file graders.nbgrader.scores reads: per student and notebook, each test cell's
    points and printed text, and the gradebook comment."""
    table: dict = {}
    for result in results:
        cells = {cell.cell: {"points": cell.earned, "text": cell.text} for cell in result.cells}
        table.setdefault(result.student, {})[result.exercise] = {
            "cells": cells if result.graded else {},
            "comment": comment_text(result),
        }
    path.write_text(json.dumps({"notebooks": table}))
    return path


def keep_books(run: Run, scores: Path, log_level: str) -> int:
    """nbgrader's autograde (no kernel), generate_feedback and export, in one process."""
    command = [sys.executable, "-m", "graders.nbgrader.books", run.assignment, str(scores)]
    done = subprocess.run(
        [*command, log_level], cwd=run.course, env=nbgrader_environment(), check=False
    )
    return done.returncode


def _short(hint: str) -> str:
    text = hint.split(": ", 1)[-1]  # hints start with "<exercise> / <check>: "
    return text if len(text) <= MAX_COMMENT_HINT else text[: MAX_COMMENT_HINT - 3] + "..."


def _as_markdown(text: str) -> str:
    """Text that nbgrader's feedback page (markdown) shows as written: ``x ** 2`` is no
    bold and ``<tensor>`` no HTML tag. Backquoted names stay code."""
    return re.sub(r"([\\*<])", r"\\\1", text)


def comment_text(result: NotebookResult) -> str:
    """The notes, then each test cell that lost points with its first hint; '' if none.

    Markdown, as nbgrader's feedback page renders comments: a list after a blank line,
    each test cell named as the page's heading names it ("Grade cell"), with a link to it.
    """
    lines = [f"- {_as_markdown(note)}." for note in result.notes]
    for cell in result.cells:
        if cell.earned < cell.worth:
            hint = f" {_as_markdown(_short(cell.hints[0]))}" if cell.hints else ""
            lines.append(
                f"- Grade cell [`{cell.cell}`](#{cell.cell}): "
                f"{cell.earned:g}/{cell.worth:g}.{hint}"
            )
    if not lines:
        return ""
    score = f"{result.score:g}/{result.worth:g}" if result.graded else "not graded"
    return f"{MARK} {score}, graded in the sandbox.\n\n" + "\n".join(lines)


# --- the reports: each student's HTML report, and the class report ---------------------

REPORTS = "reports"  # <course>/reports/<assignment>/: the instructor's, never released


def reports_folder(run: Run) -> Path:
    return run.course / REPORTS / run.assignment


def write_reports(run: Run, results: list[NotebookResult]) -> Path:
    """``students/<student>.html`` (all their notebooks in one report) and ``class.html``
    in the assignment's reports folder; the class report's path."""
    from graders._class_report import class_report
    from graders._html import student_report
    from graders.batch._outputs import atomic_write

    folder = reports_folder(run)
    by_student: dict[str, list[NotebookResult]] = {}
    for result in results:
        by_student.setdefault(result.student, []).append(result)
    maxima = {r.exercise: r.report.exercise(r.exercise).max_score
              for r in results if r.report is not None}
    rows = []
    for student, mine in sorted(by_student.items()):
        report, path = student_grade(mine), folder / "students" / f"{student}.html"
        if report is None:  # no notebook of theirs could be graded: no report to link
            path.unlink(missing_ok=True)
        else:
            atomic_write(path, student_report(report, student=student))
        link = f"students/{student}.html" if report is not None else None
        rows.append(class_row(student, mine, run.references, maxima, link))
    path = folder / "class.html"
    atomic_write(path, class_report(rows, title=f"{run.assignment}: class report"))
    return path


def student_grade(results: list[NotebookResult]):
    """One GradeReport of a student's graded notebooks (each was graded alone), or None."""
    from graders._manifest import build
    from graders._report import GradeReport

    graded = sorted((r for r in results if r.report is not None),
                    key=lambda r: EXERCISES.index(r.exercise))
    if not graded:
        return None
    exercises = tuple(r.report.exercise(r.exercise) for r in graded)
    first = graded[0].report
    manifest = build(exercises, first.manifest.get("variant", "")) if first.manifest else {}
    return GradeReport(graded[0].student, exercises, first.isolation, manifest)


def class_row(student: str, results: list[NotebookResult], exercises: Iterable[str],
              maxima: dict[str, float], link: str | None):
    """The class report's row: a notebook not handed in scores 0 ("missing"), one that could
    not be graded has no score ("not graded")."""
    from graders._class_report import CheckStatus, ExerciseScore, StudentRow, mistakes_of
    from graders._report import FAILED

    mine = {r.exercise: r for r in results}
    scores, checks = [], []
    for exercise in exercises:
        result = mine.get(exercise)
        if result is None:
            scores.append(ExerciseScore(exercise, 0, maxima.get(exercise), "missing"))
        elif result.report is None:
            scores.append(ExerciseScore(exercise, 0, None, "not graded"))
        else:
            graded = result.report.exercise(exercise)
            scores.append(ExerciseScore(exercise, graded.score, graded.max_score))
            checks += graded.checks
    return StudentRow(
        student,
        tuple(scores),
        tuple(CheckStatus(c.exercise, c.check, c.status) for c in checks),
        mistakes_of((c.exercise, c.check, c.mistake) for c in checks if c.status == FAILED),
        link,
        "graded" if any(r.report is not None for r in results) else "not graded",
    )


# --- the command ---------------------------------------------------------------------


def _first_hint(result: NotebookResult) -> str:
    hint = next((cell.hints[0] for cell in result.cells if cell.hints), "")
    return _short(hint)[:80]


def print_summary(results: list[NotebookResult]) -> None:
    width = max([7, *(len(r.student) for r in results)])
    wide = max([8, *(len(r.exercise) for r in results)])
    print(f"\n{'student':<{width}}  {'exercise':<{wide}}  {'score':>6}  {'max':>5}  notes")
    for r in results:
        notes = "; ".join(r.notes) or _first_hint(r)
        score = f"{r.score:g}" if r.graded else "-"
        print(f"{r.student:<{width}}  {r.exercise:<{wide}}  {score:>6}  {r.worth:>5g}  {notes}")
    _print_isolation(results)


def _print_isolation(results: list[NotebookResult]) -> None:
    """Sandbox layers this machine could not apply, as `python -m graders grade` shows them."""
    from graders._report import GradeReport, render_isolation

    missing = next(
        (r.isolation for r in results if any(not layer.active for layer in r.isolation)), ()
    )
    if missing:
        print(render_isolation(GradeReport("", (), missing)))


def start(course: Path, assignment: str) -> tuple[Run, object]:
    """The kit's digest, the fork server and the kit's code in memory: before any student work."""
    from graders._sandbox import Sandbox

    if not (course / "nbgrader_config.py").is_file():
        raise SystemExit(f"no course in {course}: run `python -m graders release` first")
    kit = kit_digest()
    coursedir = course_directory(course)
    hidden = tuple(dict.fromkeys([str(course), str(Path(coursedir.root).resolve())]))
    sandbox = Sandbox(hidden=hidden, warm=ALL_WARM_UPS).start()  # no child sees the course
    try:  # the fork server imports torch while this process does
        test_cells = released_test_cells(coursedir, assignment)
        references = load_references(test_cells)
        locked = locked_sources(coursedir, assignment)
    except BaseException:
        sandbox.close()
        raise
    return Run(course, assignment, coursedir, kit, references, test_cells, locked), sandbox


def autograde(course: Path, assignment: str, *, log_level: str = "WARN") -> tuple[int, list]:
    """Sandboxed grading, then nbgrader's books, feedback and the CSV export; the exit status."""
    run, sandbox = start(course.resolve(), assignment)
    with tempfile.TemporaryDirectory(prefix="torchgrade-autograde-") as work:
        with sandbox:
            results = grade_all(run, find_submissions(run), sandbox, Path(work))
        print_summary(results)
        verify(run.kit)  # before any grade is written
        scores = write_scores(results, Path(work) / "scores.json")
        nbgrader_code = keep_books(run, scores, log_level)
    reports = write_reports(run, results)
    verify(run.kit, after=True)
    print(f"\nfeedback: {run.course / 'feedback'}\ngrades: {run.course / 'grades.csv'}")
    gradebooks = write_from_nbgrader(run.course, run.assignment)  # LMS imports, from the export
    if gradebooks:
        print(f"LMS gradebook imports: {gradebooks[0]}, {gradebooks[1]}")
    print(f"class report: {reports}\nstudents' reports: {reports.parent / 'students'}")
    ungraded = [r for r in results if not r.graded]
    if nbgrader_code:
        print("nbgrader reported errors (see its log above).", file=sys.stderr)
    if ungraded:
        print(f"{len(ungraded)} notebook(s) could not be graded: run again.", file=sys.stderr)
    return (1 if nbgrader_code or ungraded else 0), results


def main(course: Path | None, assignment: str | None) -> int:
    try:
        code, _ = autograde(course or DEFAULT_COURSE, assignment or DEFAULT_ASSIGNMENT)
    except KitChanged as error:
        print(f"autograde stopped: {error}", file=sys.stderr)
        return KIT_CHANGED
    return code
