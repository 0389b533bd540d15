"""``python -m graders classroom``: a GitHub Classroom template that grades with the kit's own
command and reports the kit's points.

GitHub Actions cannot run here: the workflow is checked as data (it parses, it has the steps
Classroom needs), and its two commands are run as written, in the generated repository, on a
partly wrong submission: the points the reporter would send are the kit's.
"""

from __future__ import annotations

import base64
import json
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from graders import _classroom
from graders._layout import ROOT

yaml = pytest.importorskip("yaml", reason="PyYAML (a dependency of dask) parses the workflow")

MISTAKE = ROOT / "tests" / "mistakes" / "mse" / "no_shape_check.py"  # partly right


@pytest.fixture(scope="module")
def template(tmp_path_factory, sandbox) -> Path:
    out = tmp_path_factory.mktemp("classroom") / "hw1-template"
    _classroom.build(out, "hw1", ("mse",), sandbox=sandbox)
    return out


@pytest.fixture(scope="module")
def workflow(template) -> dict:
    return yaml.safe_load((template / _classroom.WORKFLOW).read_text())


def _steps(workflow: dict) -> list[dict]:
    (job,) = workflow["jobs"].values()
    return job["steps"]


def _step(workflow: dict, uses: str) -> dict:
    (step,) = [s for s in _steps(workflow) if s.get("uses", "").startswith(uses)]
    return step


def test_the_template_is_the_student_kit_with_a_workflow_and_a_readme(template):
    assert (template / "exercises" / "mse.py").is_file()
    assert (template / "graders" / "test_mse.py").is_file()
    assert (template / "graders" / "_classroom.py").is_file()  # the workflow runs it
    assert not (template / "solutions").exists()
    assert not (template / "dist").exists()  # a repository holds sources, no wheel
    readme = (template / "README.md").read_text()
    for needed in ("nox -s grade", "git push", "Actions", "Total points", "hidden"):
        assert needed in readme, needed
    ignored = (template / ".gitignore").read_text().split()
    assert {".venv/", ".nox/", _classroom.RESULTS_FILE} <= set(ignored)


def test_the_workflow_is_what_classroom_expects(workflow):
    # GitHub Classroom's own workflow: its name, triggers, permissions, one job that skips
    # Classroom's bot; the reporter reads TORCHGRADE_RESULTS from the grading step's output.
    assert workflow["name"] == "Autograding Tests"
    assert "push" in workflow["on"]
    assert workflow["permissions"]["checks"] == "write"
    (name, job) = next(iter(workflow["jobs"].items()))
    assert name == "run-autograding-tests"
    assert job["runs-on"] == "ubuntu-latest"
    assert "github-classroom[bot]" in job["if"]
    assert [s.get("uses", "").split("@")[0] for s in job["steps"] if "uses" in s] == [
        "actions/checkout", "actions/setup-python", "actions/cache",
        "classroom-resources/autograding-grading-reporter"]
    grading = next(s for s in job["steps"] if s.get("id") == _classroom.RUNNER)
    assert grading["env"]["UV_TORCH_BACKEND"] == "cpu"
    assert grading["run"].splitlines() == [
        _classroom.GRADE_COMMAND, f'{_classroom.REPORT_COMMAND} >> "$GITHUB_OUTPUT"']
    reporter = _step(workflow, "classroom-resources/autograding-grading-reporter")
    assert reporter["with"]["runners"] == _classroom.RUNNER
    assert reporter["env"][f"{_classroom.RUNNER.upper()}_RESULTS"] == (
        f"${{{{ steps.{_classroom.RUNNER}.outputs.result }}}}")
    installs = [s["run"] for s in job["steps"] if "nox" in s.get("run", "")]
    assert 'pip install "nox[uv]"' in installs[0]


def _run_as_the_workflow(template: Path, line: str, output: Path) -> None:
    """One line of the grading step, run here: ``nox -s grade -- ARGS`` as its session runs
    it (``python -m graders grade ARGS`` in the repository), ``python ...`` as written."""
    words = shlex.split(line.replace(' >> "$GITHUB_OUTPUT"', ""))
    if words[:4] == ["nox", "-s", "grade", "--"]:
        words = [sys.executable, "-m", "graders", "grade", *words[4:]]
    else:
        assert words[0] == "python", line
        words[0] = sys.executable
    done = subprocess.run(words, cwd=template, capture_output=True, text=True, timeout=600,
                          check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    if ">> \"$GITHUB_OUTPUT\"" in line:
        output.write_text(done.stdout)


def test_the_points_reported_are_the_kits(template, workflow, grade_files, tmp_path):
    shutil.copyfile(MISTAKE, template / "exercises" / "mse.py")
    grading = next(s for s in _steps(workflow) if s.get("id") == _classroom.RUNNER)
    output = tmp_path / "github_output"
    for line in grading["run"].splitlines():
        _run_as_the_workflow(template, line, output)
    (line,) = output.read_text().splitlines()
    key, _, value = line.partition("=")
    assert key == "result"
    sent = json.loads(base64.b64decode(value))
    # The reporter's sum: each test's score, out of the result's max_score.
    total, maximum = sum(test["score"] for test in sent["tests"]), sent["max_score"]
    results = json.loads((template / _classroom.RESULTS_FILE).read_text())
    assert (total, maximum) == (results["score"], results["max_score"])
    full = grade_files({"mse": MISTAKE}, ["mse"]).exercise("mse")
    public = [c for c in full.checks if c.visibility == "visible"]
    assert total == sum(c.points for c in public)
    assert maximum == sum(c.max_points for c in public) < full.max_score  # no hidden points
    assert 0 < total < maximum
    assert sent["status"] == "fail"
    failed = [test for test in sent["tests"] if test["status"] == "fail"]
    assert failed
    assert all(test["message"] for test in failed)


def test_reporter_result_leaves_out_checks_worth_nothing():
    results = {"score": 3.0, "max_score": 5.0, "tests": [
        {"name": "mse / a", "score": 3.0, "max_score": 3.0, "status": "passed",
         "output": "passed"},
        {"name": "mse / b", "score": 0.0, "max_score": 2.0, "status": "failed",
         "output": "x" * 5000},
        {"name": "mse / cuda_device", "score": 0.0, "max_score": 0.0, "status": "passed",
         "output": "Skipped, CUDA is not available"},
    ]}
    sent = _classroom.reporter_result(results)
    assert [(t["name"], t["status"], t["score"]) for t in sent["tests"]] == [
        ("mse / a", "pass", 3.0), ("mse / b", "fail", 0.0)]
    assert len(sent["tests"][1]["message"]) == _classroom.MAX_MESSAGE
    assert (sent["status"], sent["max_score"]) == ("fail", 5.0)
    full = {**results, "score": 5.0}
    assert _classroom.reporter_result(full)["status"] == "pass"


def test_the_command_refuses_an_existing_folder(tmp_path, capsys):
    from graders.__main__ import main

    assert main(["classroom", str(tmp_path), "mse"]) == 2
    assert "exists" in capsys.readouterr().err
