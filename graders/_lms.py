"""Grades for a learning management system: one total per student, in files its gradebook
import reads.

``batch`` and ``autograde`` write, beside their ``grades.csv`` (``autograde``: one pair per
assignment, ``canvas-<assignment>.csv`` and ``moodle-<assignment>.csv``, from nbgrader's
export, so manual grades and late penalties count):

- ``canvas.csv``: Canvas's gradebook layout, the columns ``Student``, ``ID``, ``SIS User ID``,
  ``SIS Login ID``, ``Section`` and one column named after the assignment, whose second row
  (``Points Possible``) holds the assignment's maximum, as in Canvas's own export. The
  student's id goes in ``Student`` and ``SIS Login ID``; Canvas's numeric ``ID`` is not known
  here and stays empty.
- ``moodle.csv``: Moodle's grade import, an identifier column ``Username`` and one column
  per grade item (the assignment). Moodle takes no maximum from a CSV: the grade item's
  maximum is set in Moodle (docs/instructors.md says how).

One file cannot serve both: Canvas reads the ``Points Possible`` row, which Moodle would
take for a student it cannot find, and refuse the file.

The total is the student's points over the exercises graded; its maximum is the graded
assignment's (those exercises' maxima), never the whole kit's. A student who could not be
graded gets an empty cell, which both imports leave alone, rather than a zero.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

CANVAS_FILE, MOODLE_FILE = "canvas.csv", "moodle.csv"
CANVAS_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
POINTS_POSSIBLE = "Points Possible"
MOODLE_ID = "Username"
LAYOUTS = ("canvas", "moodle")


@dataclass(frozen=True)
class Assignment:
    name: str  # the gradebook column
    max_points: float  # the graded exercises' maxima, summed


@dataclass(frozen=True)
class StudentTotal:
    student: str  # the id the class was graded under: folder name or nbgrader's student id
    points: float | None  # None: not graded (the cell stays empty)


def points_text(value: float | None) -> str:
    """``31``, ``12.5``; '' for none. Never an exponent: gradebooks read plain decimals."""
    if value is None or not math.isfinite(value):
        return ""
    return f"{round(float(value), 4):f}".rstrip("0").rstrip(".")


def _canvas(rows: list[StudentTotal], assignment: Assignment) -> list[list[str]]:
    header = [*CANVAS_COLUMNS, assignment.name]
    possible = [POINTS_POSSIBLE, "", "", "", "", points_text(assignment.max_points)]
    body = [[row.student, "", "", row.student, "", points_text(row.points)] for row in rows]
    return [header, possible, *body]


def _moodle(rows: list[StudentTotal], assignment: Assignment) -> list[list[str]]:
    return [[MOODLE_ID, assignment.name],
            *([row.student, points_text(row.points)] for row in rows)]


def gradebook_text(rows: Iterable[StudentTotal], assignment: Assignment,
                   layout: str = "canvas") -> str:
    """The CSV text of ``layout`` (``canvas`` or ``moodle``), students sorted by id."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown gradebook layout {layout!r}; choose from {LAYOUTS}")
    ordered = sorted(rows, key=lambda row: row.student)
    table = (_canvas if layout == "canvas" else _moodle)(ordered, assignment)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(table)
    return buffer.getvalue()


def write_gradebook(path: Path, rows: Iterable[StudentTotal], assignment: Assignment,
                    layout: str = "canvas", write=None) -> Path:
    """Write one gradebook file; ``write(path, text)`` (default: a plain write) lets a caller
    write atomically."""
    text = gradebook_text(rows, assignment, layout)
    if write is None:
        Path(path).write_text(text, encoding="utf-8")
    else:
        write(Path(path), text)
    return Path(path)


def write_gradebooks(folder: Path, rows: Iterable[StudentTotal], assignment: Assignment,
                     write=None, names: tuple[str, str] = (CANVAS_FILE, MOODLE_FILE),
                     ) -> tuple[Path, Path]:
    """``canvas.csv`` and ``moodle.csv`` (or ``names``) in ``folder``."""
    rows = list(rows)
    folder = Path(folder)
    return (write_gradebook(folder / names[0], rows, assignment, "canvas", write),
            write_gradebook(folder / names[1], rows, assignment, "moodle", write))


def nbgrader_names(assignment: str) -> tuple[str, str]:
    """An nbgrader course holds several assignments: one pair of files each."""
    return f"canvas-{assignment}.csv", f"moodle-{assignment}.csv"


def write_from_nbgrader(course: Path, assignment: str) -> tuple[Path, Path] | None:
    """The assignment's gradebooks beside nbgrader's export (``course/grades.csv``), from it;
    None when the export has no row for the assignment."""
    found = totals_from_nbgrader(Path(course) / "grades.csv", assignment)
    if found is None:
        return None
    rows, total = found
    return write_gradebooks(course, rows, total, names=nbgrader_names(assignment))


def totals_from_nbgrader(export: Path, assignment: str) -> tuple[list[StudentTotal],
                                                                   Assignment] | None:
    """The students' totals and the assignment's maximum from nbgrader's ``grades.csv``
    (``nbgrader export``: one row per assignment and student, its ``score`` after late
    penalties and manual grades, and the assignment's ``max_score``); None when the export
    has no row for ``assignment``."""
    try:
        with open(export, encoding="utf-8", newline="") as handle:
            rows = [row for row in csv.DictReader(handle) if row.get("assignment") == assignment]
    except OSError:
        return None
    if not rows:
        return None
    maximum = max(float(row["max_score"] or 0) for row in rows)
    totals = [StudentTotal(row["student_id"], float(row["score"]) if row["score"] else None)
              for row in rows]
    return totals, Assignment(assignment, maximum)
