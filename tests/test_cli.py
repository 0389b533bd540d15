"""`python -m graders grade`: a table, Gradescope JSON, exit 0 whatever the score."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graders._layout import ROOT, SOLUTIONS


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "graders", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=600, check=False)


def test_grade_prints_a_table_and_writes_gradescope_json(tmp_path):
    shutil.copyfile(SOLUTIONS / "mse.py", tmp_path / "mse.py")
    (tmp_path / "device.py").write_text("def get_default_device(:\n")
    results = tmp_path / "results.json"
    done = run_cli("grade", "--submission", str(tmp_path), "--json", str(results), "mse", "device")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split()[:2] == ["exercise", "points"]
    mse_row = next(line for line in lines if line.startswith("mse "))
    device_row = next(line for line in lines if line.startswith("device "))
    assert "all checks passed" in mse_row
    assert " 0/" in device_row
    assert "syntax error" in device_row
    assert next(line for line in lines if line.startswith("total "))
    assert done.stderr == ""
    data = json.loads(results.read_text())
    assert {"score", "max_score", "tests"} <= set(data)
    assert set(data["extra_data"]["isolation"]) >= {"time limit", "network", "filesystem"}
    assert 0 < data["score"] < data["max_score"]
    test = data["tests"][0]
    assert set(test) == {"name", "score", "max_score", "status", "output", "visibility"}
    assert sum(t["max_score"] for t in data["tests"]) == data["max_score"]
    assert any(t["status"] == "failed" and "syntax error" in t["output"] for t in data["tests"])


def test_pytest_plugins_installed_beside_the_kit_do_not_join_a_grade(tmp_path):
    """A pytest plugin in the grader's environment (here one that drops every check it
    collects) must not change a grade: grading runs load only the kit's own plugin."""
    site = tmp_path / "site"
    info = site / "drops_checks-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: drops-checks\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[pytest11]\ndrops_checks = drops_checks\n")
    (site / "drops_checks.py").write_text(
        "def pytest_collection_modifyitems(items):\n    items[:] = []\n")
    done = subprocess.run([sys.executable, "-m", "graders", "grade", "--submission",
                           str(SOLUTIONS), "mse"], cwd=ROOT, capture_output=True, text=True,
                          timeout=600, check=False, env={**os.environ, "PYTHONPATH": str(site)})
    assert done.returncode == 0, done.stderr
    mse_row = next(line for line in done.stdout.splitlines() if line.startswith("mse "))
    assert "all checks passed" in mse_row
    assert " 0/" not in mse_row


def test_unknown_exercise_and_missing_directory_exit_2_with_a_message(tmp_path):
    done = run_cli("grade", "nosuch")
    assert done.returncode == 2
    assert "unknown exercise" in done.stderr
    assert "mse" in done.stderr
    done = run_cli("grade", "--submission", str(tmp_path / "absent"))
    assert done.returncode == 2
    assert "not found" in done.stderr


@pytest.mark.parametrize("command", [["gradescope", "hw1.zip"], ["classroom", "template"],
                                     ["student-kit", "kit"], ["grade"]])
def test_exercises_may_follow_options(command):
    """`gradescope OUT.zip --assignment hw1 mse net`, as the docs write it: argparse alone
    calls `mse net` unrecognized there."""
    from graders.__main__ import _arguments

    option = ["--json", "r.json"] if command == ["grade"] else ["--assignment", "hw1"]
    assert _arguments([*command, "mse", *option, "net"]).exercises == ["mse", "net"]
    assert _arguments([*command, *option, "mse", "net"]).exercises == ["mse", "net"]
    with pytest.raises(SystemExit):
        _arguments([*command, *option, "mse", "--no-such-option"])


def _descendants(pid: int) -> set[int]:
    found, todo = set(), [pid]
    while todo:
        for task in Path(f"/proc/{todo.pop()}/task").glob("*/children"):
            with contextlib.suppress(OSError):
                children = {int(p) for p in task.read_text().split()}
                todo += children - found
                found |= children
    return found


@pytest.mark.parametrize(("lanes", "processes"), [("1", 4), ("2", 8)])
def test_ctrl_c_stops_grading_cleanly(tmp_path, lanes, processes):
    """Ctrl-C while a probe hangs: exit 130, one line and no traceback, at once (not when
    the probe's 10 s run out), and no server, lane or jail left."""
    (tmp_path / "mse.py").write_text("while True:\n    pass\n")  # hangs at import
    shutil.copyfile(SOLUTIONS / "device.py", tmp_path / "device.py")
    # Python ignores Ctrl-C if it started ignoring it (a background job): not here.
    start = ("import runpy, signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler)"
             "; runpy.run_module('graders', run_name='__main__', alter_sys=True)")
    grading = subprocess.Popen(
        [sys.executable, "-c", start, "grade", "--submission", str(tmp_path), "--lanes",
         lanes, "device", "mse"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(_descendants(grading.pid)) < processes:
        time.sleep(0.1)  # the servers, a jail and its probe: mse's import is hanging
    time.sleep(1)
    started = _descendants(grading.pid)
    interrupted = time.monotonic()
    os.killpg(grading.pid, signal.SIGINT)
    _, err = grading.communicate(timeout=60)
    # Before, the servers (in a session of their own) finished the hanging probe first.
    assert time.monotonic() - interrupted < 5
    assert grading.returncode == 130, err
    assert "interrupted" in err
    assert "Traceback" not in err
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(Path(f"/proc/{p}").exists() for p in started):
        time.sleep(0.1)
    assert len(started) >= processes
    assert not [p for p in started if Path(f"/proc/{p}").exists()]
