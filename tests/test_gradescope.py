"""``python -m graders gradescope``: the autograder zip, run end to end as Gradescope runs it.

One zip of a two-exercise assignment (mse, net) is built per module. For each upload, a
temporary folder stands for ``/autograder``: the zip unpacked into ``source/`` and
``run_autograder`` copied beside it, as Gradescope's image build does; ``setup.sh`` runs in
its dry-run mode (it installs and downloads nothing), ``run_autograder`` for real, as a
process of its own (``TORCHGRADE_AUTOGRADER_ROOT`` points it at the folder). Five uploads
are graded once each (a few seconds apiece) and every test reads their results.json.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from catalogue import read_mistake

from graders._layout import SOLUTIONS
from graders._variant import Variant, course_secret
from graders.gradescope._run import ROOT_VARIABLE

ASSIGNMENT = ("mse", "net")
MISTAKE = read_mistake(Path(__file__).parent / "mistakes" / "mse" / "forgets_square.py")
# Gradescope's results.json fields (gradescope-autograders.readthedocs.io, "specs").
TOP_LEVEL = {"score", "max_score", "execution_time", "output", "output_format",
             "test_output_format", "test_name_format", "visibility", "stdout_visibility",
             "extra_data", "tests", "leaderboard"}
TEST_FIELDS = {"score", "max_score", "status", "name", "name_format", "number", "output",
               "output_format", "tags", "visibility", "extra_data"}
VISIBILITIES = {"hidden", "after_due_date", "after_published", "visible"}

HOSTILE = '''"""Tries what the container must stop: writing results.json, reading the kit."""
import glob

ROOT = {root!r}
CLAIM = '{{"score": 100, "max_score": 100, "tests": [], "output": "All checks passed"}}'


def _breaches():
    got = []
    for path in (ROOT + "/results/results.json", ROOT + "/results/forged.json",
                 "/autograder/results/results.json"):
        try:
            with open(path, "w") as out:
                out.write(CLAIM)
            got.append("wrote " + path)
        except OSError:
            pass
    for pattern in ("/source/kit/solutions/*.py", "/source/kit/graders/test_*.py",
                    "/source/course/.torchgrade/secret", "/submission_metadata.json"):
        for path in glob.glob(ROOT + pattern):
            try:
                with open(path) as handle:
                    handle.read()
                got.append("read " + path)
            except OSError:
                pass
    return got


def mse(y_pred, y):
    got = _breaches()
    raise RuntimeError(("BREACH: " + "; ".join(got)) if got else "sandbox held")
'''


@pytest.fixture(scope="module")
def zipped(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("gradescope") / "autograder.zip"
    subprocess.run([sys.executable, "-m", "graders", "gradescope", str(out), *ASSIGNMENT,
                    "--assignment", "hw1"], check=True, capture_output=True, timeout=120)
    return out


def _unpack(zipped: Path, root: Path) -> Path:
    """``root`` laid out as Gradescope lays out /autograder, the zip's modes kept."""
    source = root / "source"
    with zipfile.ZipFile(zipped) as archive:
        for info in archive.infolist():
            os.chmod(archive.extract(info, source), info.external_attr >> 16 & 0o777)
    shutil.copy2(source / "run_autograder", root / "run_autograder")
    (root / "submission").mkdir()
    (root / "results").mkdir()
    return root


def _notebook(exercise: str) -> str:
    nbformat = pytest.importorskip("nbformat")
    from graders.nbgrader._notebooks import build_notebook

    return nbformat.writes(build_notebook(exercise, {}))


def _uploads(root: Path) -> dict[str, tuple[dict, dict]]:
    """Each upload's files (path in the upload to text) and its submission_metadata.json."""
    return {
        "correct": ({"mse.py": (SOLUTIONS / "mse.py").read_text(),
                     "net.py": (SOLUTIONS / "net.py").read_text()}, {"id": 7, "users": [
                         {"id": 1234, "name": "Ada", "email": ""}]}),
        "mistake": ({"hw1/mse.py": MISTAKE.path.read_text(),
                     "hw1/net.py": (SOLUTIONS / "net.py").read_text()},
                    {"id": 8, "users": [{"id": 99, "name": "Bo", "email": ""}]}),
        "notebook": ({"Archive/week 1/net.ipynb": _notebook("net"), "scratch.py": "x = 1\n"},
                     {"id": 9, "users": [{"id": 5, "name": "Cy", "email": ""}]}),
        "empty": ({}, {"id": 10, "users": []}),
        "hostile": ({"mse.py": HOSTILE.format(root=str(root))},
                    {"id": 11, "users": [{"id": 6, "name": "Di", "email": ""}]}),
    }


def _run_autograder(root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, ROOT_VARIABLE: str(root), "TORCHGRADE_PYTHON": sys.executable}
    return subprocess.run([str(root / "run_autograder")], cwd=root, env=env,
                          capture_output=True, text=True, timeout=600, check=False)


@pytest.fixture(scope="module")
def graded(zipped, tmp_path_factory) -> dict[str, tuple[dict, subprocess.CompletedProcess, Path]]:
    """Each upload graded once: (results.json, the run, its /autograder folder)."""
    done = {}
    for kind in ("correct", "mistake", "notebook", "empty", "hostile"):
        root = _unpack(zipped, tmp_path_factory.mktemp(kind))
        files, metadata = _uploads(root)[kind]
        for name, text in files.items():
            (root / "submission" / name).parent.mkdir(parents=True, exist_ok=True)
            (root / "submission" / name).write_text(text)
        (root / "submission_metadata.json").write_text(json.dumps(metadata))
        run = _run_autograder(root)
        done[kind] = (json.loads((root / "results" / "results.json").read_text()), run, root)
    return done


def _tests(body: dict, exercise: str) -> list[dict]:
    return [test for test in body["tests"] if test["name"].startswith(f"{exercise} / ")]


# --- the zip and setup.sh ---------------------------------------------------------------


def test_the_zip_holds_the_scripts_the_pinned_cpu_torch_and_the_kit(zipped):
    with zipfile.ZipFile(zipped) as archive:
        modes = {info.filename: info.external_attr >> 16 & 0o777 for info in archive.infolist()}
        requirements = archive.read("requirements.txt").decode().splitlines()
        config = json.loads(archive.read("autograder.json"))
    assert modes["setup.sh"] == modes["run_autograder"] == 0o755
    assert modes["course/.torchgrade/secret"] == 0o600
    assert {"kit/solutions/mse.py", "kit/graders/test_net.py", "kit/pyproject.toml"} <= set(modes)
    assert not any(name.startswith(("tests/", "kit/tests/")) or "__pycache__" in name
                   for name in modes)
    assert "--extra-index-url https://download.pytorch.org/whl/cpu" in requirements
    from importlib.metadata import version

    assert f"torch=={version('torch').split('+')[0]}+cpu" in requirements
    assert all("==" in line for line in requirements if not line.startswith(("#", "--")))
    assert config["assignment"] == "hw1"
    assert config["exercises"] == list(ASSIGNMENT)


def test_setup_dry_run_checks_the_zip_and_installs_nothing(zipped, tmp_path):
    root = _unpack(zipped, tmp_path / "autograder")
    venv = tmp_path / "venv"
    env = {**os.environ, "TORCHGRADE_VENV": str(venv)}
    run = subprocess.run(["bash", str(root / "source" / "setup.sh"), "--dry-run"], env=env,
                         capture_output=True, text=True, timeout=60, check=False)
    assert run.returncode == 0, run.stderr
    assert "Dry run: nothing was installed." in run.stdout
    assert f"+ {venv}/bin/python -m pip install" in run.stdout
    assert not venv.exists()
    assert oct(os.stat(root / "source").st_mode & 0o777) != "0o700"  # its chmod did not run
    requirements = root / "source" / "requirements.txt"
    requirements.write_text(requirements.read_text().replace("+cpu", ""))
    env["TORCHGRADE_SETUP_DRY_RUN"] = "1"
    run = subprocess.run(["bash", str(root / "source" / "setup.sh")], env=env,
                         capture_output=True, text=True, timeout=60, check=False)
    assert run.returncode != 0
    assert "does not pin the CPU build of torch" in run.stderr


# --- run_autograder ---------------------------------------------------------------------


def test_every_results_json_follows_gradescopes_spec(graded):
    for kind, (body, run, _) in graded.items():
        assert run.returncode == 0, (kind, run.stderr[-2000:])
        assert set(body) <= TOP_LEVEL, kind
        assert isinstance(body["score"], (int, float))
        assert isinstance(body["max_score"], (int, float))
        assert isinstance(body["output"], str)
        assert body["output"], kind
        assert isinstance(body["extra_data"], dict)
        assert body["tests"], kind
        for test in body["tests"]:
            assert set(test) <= TEST_FIELDS, test
            assert {"name", "score", "max_score", "status", "output", "visibility"} <= set(test)
            assert test["status"] in ("passed", "failed")
            assert test["visibility"] in VISIBILITIES
            assert 0 <= test["score"] <= test["max_score"]
            assert test["status"] == "failed" or test["score"] == test["max_score"]
        assert math.isclose(body["score"], sum(test["score"] for test in body["tests"]))
        assert math.isclose(body["max_score"], sum(t["max_score"] for t in body["tests"]))
        assert "Sandbox" not in body["output"]  # the instructor's report stays in extra_data
        assert body["extra_data"]["sandbox"].startswith("Sandbox:")


def test_a_correct_submission_scores_full_marks_with_its_variant(graded):
    body, _, root = graded["correct"]
    assert body["score"] == body["max_score"] > 0
    assert body["output"].startswith("mse: ")
    assert "all public checks passed" in body["output"]
    secret = course_secret(root / "source" / "course", create=False)
    manifest = body["extra_data"]["manifest"]
    assert manifest["variant"] == Variant("1234", secret).public_id
    assert secret.hex() not in json.dumps(body)
    assert manifest["kit"]["version"]
    assert body["extra_data"]["autograder"]["files"] == {"mse": "mse.py", "net": "net.py"}
    hidden = [test for test in body["tests"] if test["visibility"] != "visible"]
    assert any(test["name"] == "mse / variant_values" for test in hidden)
    for test in body["tests"]:
        if test.get("tags") == ["skipped"]:  # CUDA on a machine without a GPU: never "passed"
            assert test["status"] == "failed"
            assert test["visibility"] == "after_published"
            assert "none lost" in test["output"]
            assert "skipped" in body["output"]


def test_a_catalogued_mistake_fails_its_checks_with_its_hint(graded):
    body, _, _ = graded["mistake"]
    mse = _tests(body, "mse")
    for name in MISTAKE.fails:
        hits = [t for t in mse if t["name"].split(" / ")[1].split("[")[0] == name]
        assert hits, name
        assert all(t["status"] == "failed" and MISTAKE.hint in t["output"] for t in hits), name
    assert all(test["status"] == "passed" for test in _tests(body, "net")
               if test.get("tags") != ["skipped"])
    assert "check" in body["output"].split("\n")[0]
    assert "failed (hints below)" in body["output"]


def test_a_notebook_in_a_nested_folder_is_graded_and_missing_files_explained(graded):
    body, _, _ = graded["notebook"]
    assert body["extra_data"]["autograder"]["files"] == {"net": "Archive/week 1/net.ipynb"}
    net = [test for test in _tests(body, "net") if test.get("tags") != ["skipped"]]
    assert net
    assert all(test["status"] == "passed" for test in net)
    assert all(test["score"] == 0 for test in _tests(body, "mse"))
    assert "mse: no mse.py or mse.ipynb in your upload" in body["output"]
    assert "Not graded (not a file of this assignment): scratch.py" in body["output"]


def test_an_empty_upload_scores_zero_and_says_why(graded):
    body, _, _ = graded["empty"]
    assert body["score"] == 0 < body["max_score"]
    for exercise in ASSIGNMENT:
        assert f"{exercise}: no {exercise}.py or {exercise}.ipynb in your upload" in body["output"]
    assert any("not found in your upload" in test["output"] for test in body["tests"])
    assert "torchgrade-" not in json.dumps(body["tests"])  # no grading machine's path
    assert body["extra_data"]["autograder"]["student_id_from"] == "submission id"


def test_student_code_runs_unprivileged_and_reaches_no_results_and_no_kit(graded):
    body, _, root = graded["hostile"]
    assert body["score"] == 0
    outputs = [test["output"] for test in _tests(body, "mse")]
    assert "BREACH" not in json.dumps(body)
    assert any("sandbox held" in output for output in outputs)
    assert sorted(path.name for path in (root / "results").iterdir()) == ["results.json"]
    privileges = body["extra_data"]["isolation"]["privileges"]
    assert privileges["active"], privileges
    assert "uid 65534" in privileges["detail"]
    for path in ("source", "results"):
        assert os.stat(root / path).st_mode & 0o077 == 0, path


def test_an_autograder_fault_still_writes_results(zipped, tmp_path):
    root = _unpack(zipped, tmp_path / "autograder")
    (root / "source" / "autograder.json").unlink()
    run = _run_autograder(root)
    body = json.loads((root / "results" / "results.json").read_text())
    assert run.returncode == 1
    assert body["score"] == body["max_score"] == 0  # what the assignment is worth is unknown
    assert "a fault of the autograder, not of your files" in body["output"]
    assert "autograder.json" in body["extra_data"]["autograder"]["error"]


def test_a_fault_while_grading_scores_zero_of_what_the_assignment_is_worth(
        zipped, tmp_path, monkeypatch):
    from graders.gradescope import _run

    root = _unpack(zipped, tmp_path / "autograder")
    (root / "submission" / "mse.py").write_text((SOLUTIONS / "mse.py").read_text())

    def fails(*args, **kwargs):
        raise RuntimeError("the fork server stopped")

    monkeypatch.setattr(_run, "_grade", fails)
    body, status = _run.run(root)
    assert (status, body["score"], body["tests"]) == (1, 0, [])
    assert body["max_score"] == _worth_of(root) > 0
    assert "the fork server stopped" in body["extra_data"]["autograder"]["error"]


def _worth_of(root: Path) -> float:
    from graders.nbgrader._points import check_points

    exercises = json.loads((root / "source" / "autograder.json").read_text())["exercises"]
    return sum(sum(check_points(name).values()) for name in exercises)


def test_the_closed_folders_hold_without_the_sandboxs_namespaces(graded):
    """Gradescope's container may forbid the mount namespace that covers the kit: then the
    folders run_autograder closed to other users are what stop ``nobody``."""
    python = Path("/usr/bin/python3")  # one that nobody may run (a venv's may live in /root)
    if os.geteuid() != 0 or not python.is_file():
        pytest.skip("needs root and /usr/bin/python3 to run code as nobody")
    _, _, root = graded["hostile"]
    run = subprocess.run([str(python), "-c", HOSTILE.format(root=str(root)) +
                          "\nprint(_breaches())"], user=65534, group=65534, extra_groups=[],
                         cwd="/", capture_output=True, text=True, timeout=60, check=True)
    assert run.stdout.strip() == "[]"


def test_the_command_refuses_an_existing_zip_and_unknown_exercises(zipped, capsys):
    from graders.__main__ import main

    before = zipped.read_bytes()
    assert main(["gradescope", str(zipped), "mse"]) == 2
    assert "exists: a new zip draws a new course secret" in capsys.readouterr().err
    assert zipped.read_bytes() == before
    assert main(["gradescope", str(zipped.with_name("other.zip")), "nosuch"]) == 2
    assert "unknown exercise(s): nosuch" in capsys.readouterr().err
    assert not zipped.with_name("other.zip").exists()


def test_nothing_is_graded_where_student_code_would_run_as_root(zipped, tmp_path, monkeypatch):
    from graders._isolation import Layer
    from graders._sandbox import Sandbox
    from graders.gradescope._run import run

    root = _unpack(zipped, tmp_path / "autograder")
    (root / "submission" / "mse.py").write_text((SOLUTIONS / "mse.py").read_text())
    refused = Layer("privileges", False, "uid 0: could not become an unprivileged user")
    monkeypatch.setattr(Sandbox, "isolation", lambda self: (refused,))
    body, status = run(root)
    assert (status, body["score"], body["tests"]) == (1, 0, [])
    assert body["max_score"] == _worth_of(root) > 0
    assert "cannot run submitted code as an unprivileged user" in body["output"]
    assert "uid 0" in body["extra_data"]["autograder"]["refused"]
