"""``python -m graders student-kit``: what students get holds no answers and still grades.

One kit of all twelve exercises is built per module (recording the key grades the reference
once); each test reads it, or grades in it from a separate process, as a student would.
"""

from __future__ import annotations

import ast
import json
import os
import re
import runpy
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from graders import EXERCISES
from graders._layout import EXERCISES_DIR, ROOT, SOLUTIONS


@pytest.fixture(scope="module")
def kit(tmp_path_factory, sandbox) -> Path:
    from graders._student_kit import build

    out = tmp_path_factory.mktemp("kit") / "student-kit"
    build(out, "hw1", EXERCISES, sandbox=sandbox)
    return out


def _lines(text: str) -> set[str]:
    """Lines that say something (not blank, not a lone bracket or keyword)."""
    return {line.strip() for line in text.splitlines() if len(re.sub(r"\W", "", line)) >= 6}


def _solution_only_lines() -> set[str]:
    """Lines of solutions/ that appear nowhere else in what the kit is built from (the stubs,
    the graders, hidden checks included, the students' docs): the answers. tests/ and the
    instructors' docs do not count: they quote the reference, and never ship."""
    sources = [*EXERCISES_DIR.glob("*.py"), *(ROOT / "graders").rglob("*.py"),
               ROOT / "docs" / "students.md", ROOT / "README.md", ROOT / "noxfile.py"]
    elsewhere = set().union(*(_lines(path.read_text()) for path in sources))
    answers = set().union(*(_lines(path.read_text()) for path in SOLUTIONS.glob("*.py")))
    return answers - elsewhere


def _texts(kit: Path):
    """Every file of the kit folder and every member of its wheel, as text."""
    for path in sorted(kit.rglob("*")):
        if path.is_file() and path.suffix != ".whl":
            yield str(path.relative_to(kit)), path.read_bytes().decode("utf-8", "replace")
    for wheel in kit.glob("dist/*.whl"):
        with zipfile.ZipFile(wheel) as archive:
            for name in archive.namelist():
                yield f"{wheel.name}:{name}", archive.read(name).decode("utf-8", "replace")


def test_no_line_that_only_the_solutions_have(kit):
    answers = _solution_only_lines()
    assert len(answers) > 100  # the scan looks for something
    leaks = [f"{name}: {line}" for name, text in _texts(kit) for line in _lines(text) & answers]
    assert leaks == []


def test_no_solutions_and_no_hidden_checks(kit):
    assert not (kit / "solutions").exists()
    names = [name for name, _ in _texts(kit)]
    assert not [name for name in names if "solutions/" in name or name.startswith("tests/")]
    for grader in sorted((kit / "graders").glob("test_*.py")):
        tree = ast.parse(grader.read_text())
        marks = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
        arguments = {arg.arg for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)
                     and node.name.startswith("test_") for arg in node.args.args}
        assert "hidden" not in marks, grader.name
        assert "variant" not in arguments, grader.name
        assert "solutions" not in grader.read_text(), grader.name
    assert sorted(p.stem for p in (kit / "exercises").glob("*.py") if p.stem != "__init__") == \
        sorted(EXERCISES)


def _grade(cwd: Path, submission: Path, out: Path, *exercises: str, path: str = "") -> dict:
    """``python -m graders grade`` from ``cwd`` (the kit's ``graders`` first on the path)."""
    env = {**os.environ, "PYTHONPATH": path} if path else os.environ
    subprocess.run([sys.executable, "-m", "graders", "grade", *exercises, "--submission",
                    str(submission), "--json", str(out)], cwd=cwd, env=env, check=True,
                   capture_output=True, text=True, timeout=600)
    return json.loads(out.read_text())


def test_the_kit_grades_public_checks_and_counts_hidden_points(kit, tmp_path, grade_files):
    """In the kit: the reference scores every public point, the stubs none; the hidden points
    are counted, not run; the scores equal the full kit's public ones."""
    full = grade_files({"mse": SOLUTIONS / "mse.py", "net": SOLUTIONS / "net.py"},
                       ["mse", "net"])
    solved = _grade(kit, SOLUTIONS, tmp_path / "solved.json", "mse", "net")
    stubs = _grade(kit, kit / "exercises", tmp_path / "stubs.json", "mse", "net")
    public = sum(c.max_points for e in full.exercises for c in e.checks
                 if c.visibility == "visible")
    hidden = sum(c.max_points for e in full.exercises for c in e.checks
                 if c.visibility != "visible")
    assert hidden > 0
    assert solved["score"] == solved["max_score"] == public
    assert stubs["score"] == 0
    assert {t["visibility"] for t in solved["tests"]
            if t.get("tags") != ["skipped"]} == {"visible"}  # skipped: shown once published
    assert sum(solved["extra_data"]["manifest"]["hidden_points"].values()) == hidden


def test_the_wheel_installs_and_grades(kit, tmp_path):
    """The wheel unpacked where an installer puts it (site-packages), graded from elsewhere."""
    (wheel,) = kit.glob("dist/*.whl")
    site = tmp_path / "site-packages"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    assert (site / "graders" / "key.pt").is_file()
    shutil.copytree(SOLUTIONS, tmp_path / "work")
    result = _grade(tmp_path, tmp_path / "work", tmp_path / "r.json", "mse", path=str(site))
    assert result["score"] == result["max_score"] > 0


def test_the_kit_noxfile_has_only_the_students_sessions(kit):
    import nox

    registry = nox.registry._REGISTRY
    saved = dict(registry)
    try:
        registry.clear()
        runpy.run_path(str(kit / "noxfile.py"))
        in_kit = set(registry)
        registry.clear()
        runpy.run_path(str(ROOT / "noxfile.py"))
        in_full = set(registry)
    finally:
        registry.clear()
        registry.update(saved)
    assert in_kit == {"grade", "repl"}
    assert {"grade", "tests", "validate", "release"} <= in_full


def test_a_notebook_kernel_grades_with_the_kit_alone(kit, tmp_path):
    """A released notebook's test cell, in a kernel that has only the student kit: the same
    points as the command line."""
    code = (SOLUTIONS / "mse.py").read_text()
    script = (
        "import json, sys\n"
        "from graders.nbgrader import kernel\n"
        "from graders.nbgrader._source import exercise_source\n"
        f"kernel._history = lambda: [{code!r}]\n"
        "assert exercise_source('mse').solution_names == ('mse',)\n"
        "points = [kernel.check('mse', c) for c in ('numpy_value', 'torch_value', 'gradient')]\n"
        "sys.stderr.write(json.dumps(points))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=kit, capture_output=True,
                          text=True, timeout=600, check=True)
    assert json.loads(done.stderr.strip().splitlines()[-1]) == [8.0, 8.0, 4.0]
