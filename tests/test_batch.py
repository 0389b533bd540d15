"""Batch grading: a small class graded in parallel, resumed, regraded, on a Dask cluster.

Kept small, since every worker process imports torch: four students on ``mse``
(one also on ``device``), graded by one shared pool of two workers.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from batch_faults import ThreadPool
from courses import fixed_secret

from graders import batch
from graders._kit import kit_digest
from graders._layout import ROOT, SOLUTIONS
from graders._variant import Variant, course_secret
from graders.batch import (
    CSV_NAME,
    RESULTS,
    KitChangedDuringBatch,
    LocalPool,
    Task,
    _outputs,
    grade_task,
    run_batch,
)
from graders.batch._worker import scrub

pytestmark = pytest.mark.slow

# Partly wrong: right values, no shape check (a property slip keeps the core's points).
MISTAKE = ROOT / "tests" / "mistakes" / "mse" / "no_shape_check.py"
SYNTAX_ERROR = "def mse(y_pred, y:\n    return 0\n"
SEGFAULT = "import ctypes\n\n\ndef mse(y_pred, y):\n    ctypes.string_at(0)\n"
CLASS = {
    "alice": {"mse": SOLUTIONS / "mse.py", "device": SOLUTIONS / "device.py"},  # all right
    "bob": {"mse": MISTAKE},  # partly wrong
    "carol": {"mse": SYNTAX_ERROR},  # broken
    "dave": {"mse": SEGFAULT},  # kills the child that runs it
}
EXERCISES = ["mse", "device"]


def write_class(root: Path, students: dict[str, dict[str, Path | str]]) -> Path:
    for student, files in students.items():
        folder = root / student
        folder.mkdir(parents=True, exist_ok=True)
        for exercise, source in files.items():
            text = source.read_text() if isinstance(source, Path) else source
            (folder / f"{exercise}.py").write_text(text)
    return root


def result(out: Path, student: str) -> dict:
    return json.loads((out / RESULTS / f"{student}.json").read_text())


def rows(out: Path) -> list[dict]:
    return list(csv.DictReader((out / CSV_NAME).read_text().splitlines()))


def snapshot(out: Path) -> dict[str, tuple[bytes, int]]:
    """Every output file's bytes and modification time."""
    return {
        str(p.relative_to(out)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }


def expected_results(report, student: str) -> dict:
    """grade()'s results.json, its folder named after the student (and the fork server's pid
    left out), as the batch writes it."""
    return scrub(report.to_gradescope(), report.submission, student)


@pytest.fixture(scope="module")
def classes(tmp_path_factory) -> Path:
    """Every class of this module lives here: the pool's workers hide it all. It is their
    course directory, with the suite's fixed secret."""
    return fixed_secret(tmp_path_factory.mktemp("classes"))


@pytest.fixture(scope="module")
def pool(classes):
    with LocalPool(workers=2, hidden=(str(classes),)) as shared:
        yield shared


@pytest.fixture(scope="module")
def small_class(classes) -> Path:
    return write_class(classes / "small", CLASS)


@pytest.fixture(scope="module")
def graded(small_class, pool, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    return out, run_batch(small_class, out, pool=pool)


def test_every_student_is_graded_as_grade_grades_them(graded, grade_files, small_class):
    """As ``grade --student`` grades them: each with their own variant, drawn from the secret
    the batch made in the course directory (the folder holding the class)."""
    out, summary = graded
    assert summary.graded == sorted(CLASS)
    assert not summary.failed
    assert not summary.skipped
    assert summary.exercises == tuple(EXERCISES)
    secret = course_secret(small_class.parent, create=False)
    for student, files in CLASS.items():
        report = grade_files(files, EXERCISES, variant=Variant(student, secret))
        got = result(out, student)
        assert got["extra_data"]["manifest"]["variant"] == Variant(student, secret).public_id
        batch = got["extra_data"].pop("batch")
        assert got == expected_results(report, student), student
        assert batch["status"] == "graded"
        assert batch["student"] == student
        assert batch["exercises"]["mse"] == {
            "score": report.exercise("mse").score,
            "max_score": report.exercise("mse").max_score,
            "status": "graded",
        }


def test_grades_csv(graded):
    out, _ = graded
    table = rows(out)
    assert list(table[0]) == ["student", "exercise", "points", "max", "status"]
    assert [(r["student"], r["exercise"]) for r in table] == [
        (s, e) for s in sorted(CLASS) for e in EXERCISES
    ]
    by_key = {(r["student"], r["exercise"]): r for r in table}
    mse_max = by_key["alice", "mse"]["max"]
    assert by_key["alice", "mse"]["points"] == mse_max != "0"
    assert by_key["alice", "device"]["points"] == by_key["alice", "device"]["max"] != "0"
    assert 0 < float(by_key["bob", "mse"]["points"]) < float(mse_max)
    for student in ("carol", "dave"):
        assert by_key[student, "mse"]["points"] == "0"
    for student in ("bob", "carol", "dave"):
        assert by_key[student, "device"]["status"] == "missing"
        assert by_key[student, "device"]["points"] == "0"
    assert all(r["max"] == by_key["alice", r["exercise"]]["max"] for r in table)


def test_broken_and_crashing_submissions_get_clear_hints(graded):
    out, _ = graded
    expected = {
        "carol": "syntax error on line 1",
        "dave": "killed by signal SIGSEGV",
        "bob": "silently broadcasts",
    }
    for student, text in expected.items():
        failed = [
            t["output"]
            for t in result(out, student)["tests"]
            if t["name"].startswith("mse / ") and t["status"] == "failed"
        ]
        assert any(text in hint for hint in failed), (student, failed[:2])
    missing = [  # the core checks; the properties wait for them ("not graded until ...")
        t["output"]
        for t in result(out, "bob")["tests"]
        if t["name"].startswith("device") and t["status"] == "failed"
        and "not graded until" not in t["output"]
    ]
    assert missing
    assert all("device.py not found in bob." in hint for hint in missing)


def test_outputs_are_whole_files_with_no_leftovers(graded):
    out, _ = graded
    names = sorted(p.name for p in (out / RESULTS).iterdir())
    assert names == [f"{s}.json" for s in sorted(CLASS)]
    assert sorted(p.name for p in out.iterdir()) == ["canvas.csv", CSV_NAME, "moodle.csv",
                                                     RESULTS]


def test_regrading_gives_identical_results(graded, small_class, pool, tmp_path):
    out, _ = graded
    again = run_batch(small_class, tmp_path, pool=pool, force=True)
    assert again.graded == sorted(CLASS)
    assert {k: v[0] for k, v in snapshot(tmp_path).items()} == {
        k: v[0] for k, v in snapshot(out).items()
    }


def test_resume_skips_unchanged_students(graded, classes, pool, tmp_path):
    out, _ = graded
    copy, copy_out = classes / "resumed", tmp_path / "out"
    shutil.copytree(out, copy_out)
    shutil.copytree(classes / "small", copy)
    before = snapshot(copy_out)
    done = subprocess.run(  # the command line; nothing to grade, so no worker starts
        [
            sys.executable,
            "-m",
            "graders",
            "batch",
            str(copy),
            "--out",
            str(copy_out),
            "--workers",
            "2",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "graded 0, unchanged since their last grading 4, not graded 0" in done.stdout
    after = snapshot(copy_out)
    # Rewritten by every run, from the results (the gradebooks' column: the class's folder).
    rewritten = ("canvas.csv", CSV_NAME, "moodle.csv")
    assert {k: v for k, v in after.items() if k not in rewritten} == {
        k: v for k, v in before.items() if k not in rewritten
    }
    assert after[CSV_NAME][0] == before[CSV_NAME][0]

    (copy / "bob" / "mse.py").write_text((SOLUTIONS / "mse.py").read_text())
    summary = run_batch(copy, copy_out, pool=pool)
    assert summary.graded == ["bob"]
    assert summary.skipped == ["alice", "carol", "dave"]
    changed = snapshot(copy_out)
    assert [k for k in changed if changed[k] != after[k]] == [*rewritten, f"{RESULTS}/bob.json"]
    bob = {r["exercise"]: r for r in rows(copy_out) if r["student"] == "bob"}
    assert bob["mse"]["points"] == bob["mse"]["max"]


def test_an_interrupted_batch_keeps_what_it_finished(classes, pool, tmp_path, monkeypatch):
    root = write_class(classes / "interrupted", {s: CLASS[s] for s in ("bob", "carol")})
    written = []
    real = _outputs.write_result

    def interrupt_after_the_first(out, task, outcome):
        if written:
            raise KeyboardInterrupt
        written.append(task.student)
        return real(out, task, outcome)

    monkeypatch.setattr(_outputs, "write_result", interrupt_after_the_first)
    with pytest.raises(KeyboardInterrupt):
        run_batch(root, tmp_path, pool=pool)
    monkeypatch.undo()
    first = written[0]
    assert sorted(p.name for p in (tmp_path / RESULTS).iterdir()) == [f"{first}.json"]
    assert result(tmp_path, first)["extra_data"]["batch"]["status"] == "graded"
    assert [r["student"] for r in rows(tmp_path)] == [first]
    summary = run_batch(root, tmp_path, pool=pool)
    assert summary.skipped == [first]
    assert summary.graded == sorted({"bob", "carol"} - {first})


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path, monkeypatch):
    target = tmp_path / "alice.json"
    _outputs.atomic_write(target, "old\n")

    def fail(*args):
        raise OSError("disk full")

    monkeypatch.setattr(_outputs.os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        _outputs.atomic_write(target, "new\n")
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["alice.json"]


def _full_marks(task: Task) -> dict:
    return {
        "student": task.student,
        "key": task.key,
        "status": "graded",
        "message": "",
        "gradescope": {"score": 1.0, "tests": []},
        "exercises": {exercise: [1.0, 1.0] for exercise in task.exercises},
    }


def test_the_kit_fingerprint_keys_results_and_workers_refuse_another_kit(tmp_path):
    from graders.batch._discover import discover
    from graders.batch._run import make_tasks

    students, names = discover(write_class(tmp_path / "class", {"bob": CLASS["bob"]}))
    ours, theirs = (make_tasks(students, names, (), None, kit)[0] for kit in ("a" * 16, "b" * 16))
    assert ours.key != theirs.key  # a changed kit regrades
    assert make_tasks(students, names, (), None)[0].kit == kit_digest().fingerprint
    refused = grade_task(ours)  # refused before any sandbox starts
    assert refused["status"] == "error"
    assert f"another kit (fingerprint {kit_digest().fingerprint})" in refused["message"]
    assert f"than the batch's ({'a' * 16})" in refused["message"]


def test_a_kit_changed_during_the_batch_is_reported_after_its_results(
    tmp_path, monkeypatch, capsys
):
    from graders.batch import _run

    root = write_class(tmp_path / "class", {s: CLASS[s] for s in ("alice", "bob")})
    real = kit_digest()
    changed = replace(real, files=(*real.files, ("graders/conftest.py", "added")))
    digests = iter([real, changed])
    monkeypatch.setattr(_run, "kit_digest", lambda root=None: next(digests))
    with pytest.raises(KitChangedDuringBatch) as raised:
        run_batch(root, tmp_path / "out", ["mse"], pool=ThreadPool(), work=_full_marks)
    assert raised.value.files == ("graders/conftest.py",)
    assert "graders/conftest.py" in str(raised.value)
    assert raised.value.summary.graded == ["alice", "bob"]
    assert [r["student"] for r in rows(tmp_path / "out")] == ["alice", "bob"]  # written anyway

    monkeypatch.setattr(batch, "run_batch", lambda *args, **kwargs: _raise(raised.value))
    arguments = argparse.Namespace(
        submissions=root, out=tmp_path / "out", exercises=[], workers=None, scheduler=None,
        assignment=None, timeout=None, force=False,
    )
    assert batch.main(arguments) == batch.KIT_CHANGED
    printed = capsys.readouterr()  # (the summary goes to the sys.stdout of import time)
    assert "the kit's files changed during grading: graders/conftest.py" in printed.err
    assert "run the batch again with --force" in printed.err


def _raise(error: BaseException):
    raise error


def test_discovery_reads_no_symbolic_links_and_refuses_ambiguity(tmp_path):
    from graders.batch import BatchError, discover
    from graders.nbgrader._notebooks import module_from_notebook

    (tmp_path / "eve").mkdir()
    (tmp_path / "eve" / "mse.py").symlink_to(SOLUTIONS / "mse.py")  # the reference, by path
    (tmp_path / "eve" / "device.py").write_text("x = 1\n")
    (tmp_path / ".hidden").mkdir()
    students, names = discover(tmp_path)
    assert [s.name for s in students] == ["eve"]
    assert names == ("mse", "device")
    assert students[0].sources["mse"] == b""
    assert "symbolic link" in students[0].notes["mse"]
    with pytest.raises(BatchError, match="unknown exercise"):
        discover(tmp_path, ["nope"])
    with pytest.raises(BatchError, match="inside the submissions"):
        run_batch(tmp_path, tmp_path / "grades")
    for assignment in ("ps1", "ps2"):
        folder = tmp_path / "submitted" / "eve" / assignment
        folder.mkdir(parents=True)
        (folder / "mse.ipynb").write_text("{}")
    with pytest.raises(BatchError, match="several assignments"):
        discover(tmp_path)
    students, _ = discover(tmp_path, assignment="ps2")
    assert students[0].sources["mse"] == module_from_notebook({}, "mse").encode()
    assert not students[0].notes  # an empty notebook: the given code alone, no solutions


# --- nbgrader's layout --------------------------------------------------------


def notebook_class(root: Path) -> dict[str, dict]:
    """submitted/<student>/ps1/mse.ipynb: right, partly wrong (with forged outputs), unreadable."""
    nbformat = pytest.importorskip("nbformat")
    from graders.nbgrader._notebooks import build_notebook, grade_id

    notebooks = {}
    for student in ("nina", "omar"):
        notebook = build_notebook("mse", {"numpy_value": 2.0})
        for cell in notebook.cells:
            meta = cell.metadata.get("nbgrader", {})
            if student == "omar" and meta.get("grade_id") == grade_id("mse", "mse"):
                # no shape check: (N, 1) against (N,) broadcasts silently
                cell.source = cell.source.replace("tuple(y_pred.shape) != tuple(y.shape)",
                                                  "False")
            if student == "omar" and meta.get("grade") and cell.cell_type == "code":
                cell.outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "2.0"})]
        folder = root / "submitted" / student / "ps1"
        folder.mkdir(parents=True)
        nbformat.write(notebook, folder / "mse.ipynb")
        notebooks[student] = json.loads((folder / "mse.ipynb").read_text())
    broken = root / "submitted" / "pia" / "ps1"
    broken.mkdir(parents=True)
    (broken / "mse.ipynb").write_text('{"cells": [')
    return notebooks


def test_nbgrader_layout_grades_solution_cells_only(classes, pool, tmp_path, grade_files):
    from graders.nbgrader._notebooks import module_from_notebook

    course = classes / "course"
    notebooks = notebook_class(course)
    summary = run_batch(course, tmp_path, pool=pool)
    assert summary.graded == ["nina", "omar", "pia"]
    assert summary.exercises == ("mse",)
    secret = course_secret(course, create=False)  # nbgrader's course holds it
    for student, notebook in notebooks.items():
        report = grade_files({"mse": module_from_notebook(notebook, "mse")}, ["mse"],
                             variant=Variant(student, secret))
        got = result(tmp_path, student)
        got["extra_data"].pop("batch")
        assert got == expected_results(report, student), student
    table = {r["student"]: r for r in rows(tmp_path)}
    assert table["nina"]["points"] == table["nina"]["max"] != "0"
    assert 0 < float(table["omar"]["points"]) < float(table["omar"]["max"])
    assert table["pia"]["points"] == "0"
    assert table["pia"]["status"] == "unreadable"
    assert "could not be read" in result(tmp_path, "pia")["output"]
    # The gradebooks' column is nbgrader's assignment, not the course folder.
    canvas = (tmp_path / "canvas.csv").read_text(encoding="utf-8").splitlines()
    assert canvas[0].split(",")[-1] == "ps1"


# --- a Dask cluster -------------------------------------------------------------


def test_dask_cluster_gives_the_same_results(graded, classes, tmp_path):
    pytest.importorskip("distributed", reason="needs the cluster extra (dask[distributed])")
    from distributed import LocalCluster

    out, _ = graded
    root = write_class(classes / "dask", {s: CLASS[s] for s in ("bob", "dave")})
    with LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        summary = run_batch(root, tmp_path, EXERCISES, scheduler=cluster.scheduler_address,
                            report=tmp_path / "class.html")
    assert not summary.failed
    assert summary.graded == ["bob", "dave"]
    for student in ("bob", "dave"):
        path = f"{RESULTS}/{student}.json"
        assert (tmp_path / path).read_bytes() == (out / path).read_bytes(), student
    # The pages are drawn on the cluster's workers and land beside the results, linked.
    page = (tmp_path / "class.html").read_text(encoding="utf-8")
    for student in ("bob", "dave"):
        mine = tmp_path / "reports" / f"{student}.html"
        assert student in mine.read_text(encoding="utf-8")
        assert f'href="{os.path.relpath(mine, tmp_path)}"' in page


# --- a worker that dies (last: it breaks the shared pool) -------------------------------


def test_a_dead_worker_is_recorded_and_the_batch_goes_on(classes, pool, tmp_path):
    from batch_faults import KILLER, grade_or_die

    root = write_class(classes / "deadly", {"alice": CLASS["alice"], KILLER: CLASS["bob"]})
    summary = run_batch(root, tmp_path, pool=pool, work=grade_or_die)
    assert summary.graded == ["alice"], summary.failed
    assert list(summary.failed) == [KILLER]
    assert "worker died" in summary.failed[KILLER]
    record = result(tmp_path, KILLER)
    assert record["extra_data"]["batch"]["status"] == "worker died"
    assert "run the batch again" in record["output"]
    table = {(r["student"], r["exercise"]): r for r in rows(tmp_path)}
    assert table[KILLER, "mse"]["status"] == "worker died"
    assert table[KILLER, "mse"]["max"] == table["alice", "mse"]["max"]
    # Not graded: 0 points of what the assignment is worth, as alice's results say it is.
    assert record["score"] == 0
    assert record["max_score"] == result(tmp_path, "alice")["max_score"] > 0
    assert table["alice", "mse"]["points"] == table["alice", "mse"]["max"]
    tasks, _ = _outputs_plan(root, tmp_path)
    assert [task.student for task in tasks] == [KILLER]  # the next run tries it again


def _outputs_plan(root: Path, out: Path):
    from graders.batch._discover import discover
    from graders.batch._run import _plan, course_of, make_tasks

    students, names = discover(root)
    secret = course_secret(course_of(root), create=False)  # the one the batch drew with
    return _plan(out, make_tasks(students, names, (str(root),), None, secret=secret),
                 force=False)


OUT_READER = '''import os


def mse(y_pred, y):
    found = []
    for folder in ({out!r}, {root!r}):
        try:
            found += os.listdir(folder)
        except OSError:
            continue
    if found:
        raise RuntimeError(f"ESCAPED: {{found}}")
    raise RuntimeError("sandbox held: no grades, no classmates")
'''
SHARED_REFERENCES = ("ROW = [0.5] * 10_000\nTABLE = [ROW] * 10_000\n\n\n"
                     "def mse(y_pred, y):\n    return [TABLE] * 10\n")
LOUD = "def mse(y_pred, y):\n    raise ValueError('\\x1b[2J\\x1b[H' + 'A' * 500_000)\n"


def test_hostile_students_leave_the_class_and_its_results_intact(classes, pool, tmp_path):
    """A result built from shared references, a half-megabyte escape-laden message, and a
    student reading the class and the results of earlier students (``--out``, grades.csv on
    a re-run): the class still gets its grades, and honest students their scores."""
    out, root = tmp_path / "out", classes / "hostile"
    write_class(root, {"alice": {"mse": SOLUTIONS / "mse.py"}, "eve": {"mse": SHARED_REFERENCES},
                       "loud": {"mse": LOUD},
                       "mallory": {"mse": OUT_READER.format(out=str(out), root=str(root))}})
    run_batch(root, out, ["mse"], pool=pool)
    summary = run_batch(root, out, ["mse"], pool=pool, force=True)  # grades.csv is there now
    assert summary.graded == ["alice", "eve", "loud", "mallory"], summary.failed
    table = {row["student"]: row for row in rows(out)}
    assert table["alice"]["points"] == table["alice"]["max"] != "0"
    assert table["mallory"]["points"] == "0"
    # (What eve and loud earn on properties alone is the credit issue's: gates make it 0.)
    assert all(float(table[s]["points"]) < float(table[s]["max"]) for s in ("eve", "loud"))
    assert "sandbox held" in json.dumps(result(out, "mallory"))
    assert "too large to read" in json.dumps(result(out, "eve"))
    loud = (out / RESULTS / "loud.json").read_text()
    assert len(loud) < 100_000
    assert "\\u001b" not in loud
