"""The batch's outputs: one Gradescope ``results.json`` per student, and ``grades.csv``;
with ``--report``, one HTML report per student and the class report.

Every file is written atomically (a temporary file in the same folder, then
``os.replace``): an interrupted batch leaves each student's result either whole
or absent, never half written. A student's JSON carries, under
``extra_data.batch``, the key it was graded under, which is how a later run
knows to skip it.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from graders.batch._worker import GRADED, Task

RESULTS = "results"
REPORTS = "reports"  # the students' HTML reports (batch --report)
CSV_NAME = "grades.csv"
CSV_COLUMNS = ("student", "exercise", "points", "max", "status")
MISSING, UNREADABLE, WORKER_DIED = "missing", "unreadable", "worker died"
_UMASK = os.umask(0o022)
os.umask(_UMASK)


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that readers see the old file or the new one, whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(temporary, 0o666 & ~_UMASK)  # as an ordinary file (mkstemp makes it 0600)
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def result_path(out: Path, student: str) -> Path:
    return out / RESULTS / f"{student}.json"


def report_path(out: Path, student: str) -> Path:
    return out / REPORTS / f"{student}.html"


def previous(out: Path, student: str) -> dict | None:
    """The batch record of the student's last result, if it can be read."""
    try:
        document = json.loads(result_path(out, student).read_text(encoding="utf-8"))
        return document["extra_data"]["batch"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _exercise_status(task: Task, exercise: str) -> str:
    if exercise not in task.sources:
        return MISSING
    return UNREADABLE if exercise in task.notes else GRADED


def document(task: Task, result: dict[str, Any]) -> dict[str, Any]:
    """The student's results.json: Gradescope's schema, plus the batch record in extra_data."""
    status, message = result["status"], result["message"]
    notes = [f"{exercise}: {note}" for exercise, note in sorted(task.notes.items())]
    if status == GRADED:
        scores = result["exercises"]
        exercises = {
            name: {
                "score": scores[name][0],
                "max_score": scores[name][1],
                "status": _exercise_status(task, name),
            }
            for name in task.exercises
        }
        body = dict(result["gradescope"])
        body["output"] = "\n".join(filter(None, [*notes, body.get("output", "")]))
    else:
        exercises = {
            name: {"score": 0, "max_score": None, "status": status} for name in task.exercises
        }
        body = {
            "score": 0,
            # What the assignment is worth, as for a graded student: 0 of 0 would read as
            # an assignment worth nothing (Gradescope shows a results.json's own maximum).
            "max_score": sum(maxima([], task.exercises).values()),
            "tests": [],
            "output": f"Not graded ({status}): {message}",
        }
    record = {
        "student": task.student,
        "key": task.key,
        "status": status,
        "message": message,
        "notes": notes,
        "exercises": exercises,
        "checks": result.get("checks", []),  # each check's status and named mistake
    }
    body["extra_data"] = {**body.get("extra_data", {}), "batch": record}
    return body


def write_result(out: Path, task: Task, result: dict[str, Any]) -> dict[str, Any]:
    body = document(task, result)
    atomic_write(result_path(out, task.student), json.dumps(body, indent=2) + "\n")
    if result.get("html"):
        atomic_write(report_path(out, task.student), result["html"])
    elif task.html:  # not graded this time: an older report would be linked as current
        report_path(out, task.student).unlink(missing_ok=True)
    return body["extra_data"]["batch"]


def _points(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def maxima(records: Iterable[dict[str, Any]], exercises: tuple[str, ...]) -> dict[str, float]:
    """Each graded exercise's max: from any graded student (it is the same for all), else,
    when no student of the class could be graded on it, from its grader's points (an empty
    max would read as an assignment worth nothing)."""
    worth = {}
    for record in records:
        for name, entry in record["exercises"].items():
            if entry["max_score"] is not None:
                worth.setdefault(name, entry["max_score"])
    unknown = [name for name in exercises if name not in worth]
    if unknown:
        from graders.nbgrader._points import worth as exercise_worth

        worth.update({name: exercise_worth(name) for name in unknown})
    return {name: worth[name] for name in exercises}


def write_gradebooks(out: Path, records: Iterable[dict[str, Any]], exercises: tuple[str, ...],
                     assignment: str) -> tuple[Path, Path]:
    """``canvas.csv`` and ``moodle.csv`` beside ``grades.csv`` (``graders._lms``): each
    student's total over ``exercises``, out of their maxima summed; empty when not graded."""
    from graders import _lms

    records = list(records)
    total = _lms.Assignment(assignment, sum(maxima(records, exercises).values()))
    rows = [_lms.StudentTotal(record["student"], sum(
        record["exercises"].get(name, {}).get("score") or 0 for name in exercises)
        if record["status"] == GRADED else None) for record in records]
    return _lms.write_gradebooks(out, rows, total, write=atomic_write)


def write_csv(out: Path, records: Iterable[dict[str, Any]], exercises: tuple[str, ...]) -> Path:
    """One row per student and exercise, sorted by student then course order."""
    records = sorted(records, key=lambda record: record["student"])
    worth = maxima(records, exercises)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for record in records:
        for name in exercises:
            entry = record["exercises"].get(
                name, {"score": 0, "max_score": None, "status": record["status"]}
            )
            writer.writerow(
                [
                    record["student"],
                    name,
                    _points(entry["score"]),
                    _points(worth.get(name)),
                    entry["status"],
                ]
            )
    path = out / CSV_NAME
    atomic_write(path, buffer.getvalue())
    return path


def student_row(record: dict[str, Any], exercises: tuple[str, ...], link: str | None):
    """The class report's row of a student, from their batch record. Checks of exercises the
    student did not hand in count neither in pass rates nor as mistakes."""
    from graders._class_report import CheckStatus, ExerciseScore, StudentRow, mistakes_of
    from graders._report import FAILED

    entries = record.get("exercises", {})
    scores = tuple(
        ExerciseScore(name, entry.get("score") or 0, entry.get("max_score"), entry["status"])
        for name in exercises
        for entry in [entries.get(name, {"status": record["status"]})]
    )
    handed_in = {name for name, entry in entries.items() if entry.get("status") != MISSING}
    checks = [c for c in record.get("checks", []) if c["exercise"] in handed_in]
    return StudentRow(
        record["student"],
        scores,
        tuple(CheckStatus(c["exercise"], c["check"], c["status"]) for c in checks),
        mistakes_of(
            (c["exercise"], c["check"], c["mistake"]) for c in checks if c["status"] == FAILED
        ),
        link,
        record["status"],
    )


def write_class_report(
    out: Path, records: Iterable[dict[str, Any]], exercises: tuple[str, ...], path: Path,
    title: str,
) -> Path:
    """The class report at ``path``, linking to each student's report that exists."""
    from graders._class_report import class_report

    rows = []
    for record in records:
        report = report_path(out, record["student"])
        link = os.path.relpath(report, path.parent) if report.is_file() else None
        rows.append(student_row(record, exercises, link))
    atomic_write(path, class_report(rows, title=title))
    return path
