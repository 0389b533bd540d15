"""LMS gradebook imports (``graders._lms``): Canvas's and Moodle's layouts, written by a real
batch beside ``grades.csv``, and the assignment's maximum in every CSV.

One small class on two exercises is graded once for the module (one worker); a second batch
grades nobody (its work fails) and must still give every CSV the assignment's maximum.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from batch_faults import ThreadPool

from graders import _lms
from graders._layout import ROOT, SOLUTIONS
from graders.batch import CSV_NAME, LocalPool, Task, run_batch

pytestmark = pytest.mark.slow

EXERCISES = ("mse", "device")
CLASS = {
    "alice": {"mse": SOLUTIONS / "mse.py", "device": SOLUTIONS / "device.py"},
    "bob": {"mse": ROOT / "tests" / "mistakes" / "mse" / "no_shape_check.py"},  # no device
}


def _table(path: Path) -> list[list[str]]:
    return list(csv.reader(path.read_text(encoding="utf-8").splitlines()))


def _write_class(root: Path) -> Path:
    for student, files in CLASS.items():
        (root / student).mkdir(parents=True)
        for exercise, source in files.items():
            (root / student / f"{exercise}.py").write_text(source.read_text())
    return root


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> Path:
    place = tmp_path_factory.mktemp("lms")
    submissions = _write_class(place / "hw1")
    with LocalPool(workers=1, hidden=(str(place),)) as pool:
        run_batch(submissions, place / "out", EXERCISES, pool=pool)
    return place / "out"


def test_hand_made_totals_in_both_layouts(tmp_path):
    rows = [_lms.StudentTotal("bob", 12.5), _lms.StudentTotal("alice", 55.0),
            _lms.StudentTotal("carol", None)]
    assignment = _lms.Assignment("hw1", 55.0)
    canvas, moodle = _lms.write_gradebooks(tmp_path, rows, assignment)
    assert (canvas.name, moodle.name) == (_lms.CANVAS_FILE, _lms.MOODLE_FILE)
    assert canvas.read_text() == (
        "Student,ID,SIS User ID,SIS Login ID,Section,hw1\n"
        "Points Possible,,,,,55\n"
        "alice,,,alice,,55\n"
        "bob,,,bob,,12.5\n"
        "carol,,,carol,,\n"
    )
    assert moodle.read_text() == "Username,hw1\nalice,55\nbob,12.5\ncarol,\n"


def test_points_are_plain_decimals():
    assert [_lms.points_text(v) for v in (31.0, 0.0, 12.25, 1 / 3, 1e-7, 1e7, None)] == [
        "31", "0", "12.25", "0.3333", "0", "10000000", ""]
    with pytest.raises(ValueError, match="layout"):
        _lms.gradebook_text([], _lms.Assignment("hw1", 1.0), "blackboard")


def test_nbgrader_export_gives_the_assignments_own_maximum(tmp_path):
    export = tmp_path / "grades.csv"
    columns = "assignment,duedate,timestamp,student_id,last_name,first_name,email,raw_score," \
              "late_submission_penalty,score,max_score"
    export.write_text(f"{columns}\n"
                      "hw1,,,alice,,,,55.0,0.0,55.0,55.0\n"
                      "hw1,,,bob,,,,20.0,2.0,18.0,55.0\n"
                      "hw2,,,alice,,,,3.0,0.0,3.0,40.0\n")
    canvas, moodle = _lms.write_from_nbgrader(tmp_path, "hw1")
    assert (canvas.name, moodle.name) == _lms.nbgrader_names("hw1")
    assert _table(canvas)[1][-1] == "55"  # hw1's maximum, not hw1's and hw2's
    assert _table(moodle) == [["Username", "hw1"], ["alice", "55"], ["bob", "18"]]
    assert _lms.write_from_nbgrader(tmp_path, "hw3") is None


def test_batch_writes_both_gradebooks_beside_grades_csv(graded):
    rows = list(csv.DictReader((graded / CSV_NAME).read_text().splitlines()))
    maxima = {row["exercise"]: float(row["max"]) for row in rows}
    assert set(maxima) == set(EXERCISES)
    assert all(value > 0 for value in maxima.values())
    points: dict[str, float] = {}
    for row in rows:
        points[row["student"]] = points.get(row["student"], 0.0) + float(row["points"])
    assert 0 < points["bob"] < points["alice"] == sum(maxima.values())
    canvas = _table(graded / _lms.CANVAS_FILE)
    assert canvas[0] == [*_lms.CANVAS_COLUMNS, "hw1"]  # named after the class's folder
    assert canvas[1] == [_lms.POINTS_POSSIBLE, "", "", "", "", _lms.points_text(
        sum(maxima.values()))]
    assert {row[0]: float(row[-1]) for row in canvas[2:]} == points
    assert [row[3] for row in canvas[2:]] == sorted(CLASS)  # SIS Login ID
    moodle = _table(graded / _lms.MOODLE_FILE)
    assert moodle[0] == [_lms.MOODLE_ID, "hw1"]
    assert {row[0]: float(row[1]) for row in moodle[1:]} == points


def _cannot_grade(task: Task) -> dict:
    raise RuntimeError("the fork server stopped twice")


def test_a_class_nobody_could_be_graded_in_keeps_the_assignments_maximum(graded, tmp_path):
    """Before: an exercise no student was graded on had an empty max in grades.csv. Its max
    is the grader's, the one a graded student gets."""
    submissions = _write_class(tmp_path / "hw1")
    out = tmp_path / "out"
    summary = run_batch(submissions, out, EXERCISES, pool=ThreadPool(), work=_cannot_grade)
    assert sorted(summary.failed) == sorted(CLASS)
    expected = {row["exercise"]: row["max"] for row in
                csv.DictReader((graded / CSV_NAME).read_text().splitlines())}
    rows = list(csv.DictReader((out / CSV_NAME).read_text().splitlines()))
    assert {row["exercise"]: row["max"] for row in rows} == expected
    assert {row["status"] for row in rows} == {"error"}
    canvas = _table(out / _lms.CANVAS_FILE)
    assert canvas[1][-1] == _lms.points_text(sum(map(float, expected.values())))
    assert [row[-1] for row in canvas[2:]] == ["", ""]  # not graded: left to the LMS
