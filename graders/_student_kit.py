"""``python -m graders student-kit OUT``: what students clone or install, without the answers.

The kit is built in steps, each one small:

1. **record** the answer key: grade ``solutions/`` with the hidden checks left out, keeping
   what the reference returned for each public check's inputs (``graders/_key.py``);
2. **copy** the stubs, the grading engine and the public checks (every ``@pytest.mark.hidden``
   check cut out of its grader's source), the key, the noxfile and the students' docs;
3. **describe** the project: a ``pyproject.toml`` without ``solutions``, and a README;
4. **pack** the folder into a wheel (a zip with ``.dist-info``; no build backend needed).

What never goes in: ``solutions/``, ``tests/`` (the mistake catalogue quotes the
reference), the hidden checks, the course secret and the instructors' docs.
"""

from __future__ import annotations

import ast
import base64
import hashlib
import json
import re
import shutil
import zipfile
from pathlib import Path

from graders import _key
from graders._layout import EXERCISES, EXERCISES_DIR, GRADERS, ROOT, SIBLINGS, SOLUTIONS

STUDENT_DOCS = ("docs/students.md", "docs/img/student-report.png")  # the page shows the image


def record(exercises: tuple[str, ...], sandbox=None) -> _key.AnswerKey:
    """The reference's answers to the public checks of ``exercises`` (hidden ones left out)."""
    from graders._engine import grade

    key = _key.AnswerKey()
    for exercise in exercises:
        _key.record_constants(key, exercise)
    with _key.using("recording", key):
        report = grade(SOLUTIONS, exercises, sandbox=sandbox, public_only=True)
    lost = [f"{e.name} {e.score:g}/{e.max_score:g}" for e in report.exercises
            if e.score != e.max_score and any(c.status == "failed" for c in e.checks)]
    if lost:
        raise RuntimeError(f"the reference does not pass its own public checks: {lost}")
    key.hidden_points.update({e.name: e.hidden_max for e in report.exercises})
    return key


def with_siblings(exercises: tuple[str, ...]) -> tuple[str, ...]:
    """``exercises`` and the ones their files import (digits: net, dataset, training), in
    course order: a student cannot do digits without them."""
    wanted = set(exercises).union(*(SIBLINGS.get(name, ()) for name in exercises))
    return tuple(name for name in EXERCISES if name in wanted)


def _is_hidden(decorator: ast.expr) -> bool:
    node = decorator.func if isinstance(decorator, ast.Call) else decorator
    return isinstance(node, ast.Attribute) and node.attr == "hidden" and (
        isinstance(node.value, ast.Attribute) and node.value.attr == "mark")


def strip_hidden(source: str) -> str:
    """A grader's source without its hidden checks (decorators, body and all)."""
    lines = source.splitlines(keepends=True)
    cut: list[tuple[int, int]] = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef) and any(map(_is_hidden, node.decorator_list)):
            first = min(d.lineno for d in node.decorator_list)
            cut.append((first - 1, node.end_lineno))
    for start, end in reversed(cut):
        del lines[start:end]
    return "".join(lines)


def _copy_graders(out: Path, exercises: tuple[str, ...]) -> None:
    """The engine, the probes and the public checks of ``exercises``."""
    for path in sorted(GRADERS.rglob("*")):
        relative = path.relative_to(ROOT)
        if path.is_dir() or "__pycache__" in path.parts or path.name in ("key.pt",
                                                                          "segments.json"):
            continue
        if path.parent == GRADERS and path.name.startswith("test_"):
            if path.stem.removeprefix("test_") not in exercises:
                continue
            target = out / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(strip_hidden(path.read_text()))
            continue
        (out / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, out / relative)


def _write_segments(out: Path, exercises: tuple[str, ...]) -> None:
    """Each exercise's solution names: how a notebook kernel splits the stub into cells."""
    from graders.nbgrader._source import SEGMENTS_FILE, exercise_source

    names = {name: list(exercise_source(name).solution_names) for name in exercises}
    (out / SEGMENTS_FILE.relative_to(ROOT)).write_text(json.dumps(names, indent=1) + "\n")


def _copy_exercises(out: Path, exercises: tuple[str, ...]) -> None:
    (out / "exercises").mkdir(parents=True, exist_ok=True)
    for path in EXERCISES_DIR.glob("*.py"):
        if path.stem in exercises or path.name == "__init__.py":
            shutil.copy2(path, out / "exercises" / path.name)


def _pyproject(assignment: str) -> str:
    """The kit's pyproject.toml, packaging the stubs and the graders only."""
    text = (ROOT / "pyproject.toml").read_text()
    packages = 'include = ["exercises*", "solutions*", "graders*"]'
    if packages not in text:
        raise RuntimeError(f"pyproject.toml no longer says {packages}: update _student_kit.py")
    text = text.replace(packages, 'include = ["exercises*", "graders*"]')
    return re.sub(r'^version = "([^"]+)"', lambda m: f'version = "{_version(m[1], assignment)}"',
                  text, count=1, flags=re.M)


def _version(kit: str, assignment: str) -> str:
    """``0.1.0+hw1``: the kit's version, the assignment as a local label (PEP 440)."""
    label = re.sub(r"[^a-z0-9]+", ".", assignment.lower()).strip(".") or "student"
    return f"{kit}+{label}"


README = """# {assignment}: PyTorch exercises

Implement the exercises in `exercises/` ({names}), then grade them:

```console
python3 -m venv .venv && .venv/bin/pip install "nox[uv]" && .venv/bin/nox -s grade
```

Each exercise gets a score and a hint for every failed check. Your instructor grades the same
public checks, plus hidden ones worth the points the report lists (see
[docs/students.md](docs/students.md#public-and-hidden-points)). Without an NVIDIA GPU, start
with `UV_TORCH_BACKEND=cpu .venv/bin/nox -s grade` for the small CPU build of torch.
"""


def _describe(out: Path, assignment: str, exercises: tuple[str, ...]) -> None:
    (out / "pyproject.toml").write_text(_pyproject(assignment))
    (out / "README.md").write_text(README.format(assignment=assignment,
                                                 names=", ".join(exercises)))
    shutil.copy2(ROOT / "noxfile.py", out / "noxfile.py")  # instructor sessions need solutions/
    for name in STUDENT_DOCS:
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, out / name)


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def pack(out: Path, assignment: str) -> Path:
    """A wheel of the kit folder's ``graders`` and ``exercises`` packages (pure Python)."""
    version = _version(re.search(r'^version = "([^"+]+)', (ROOT / "pyproject.toml").read_text(),
                                 re.M)[1], assignment)
    dist_info = f"torchgrade-{version}.dist-info"
    wheel = out / "dist" / f"torchgrade-{version}-py3-none-any.whl"
    wheel.parent.mkdir(parents=True, exist_ok=True)
    files = sorted(p for package in ("graders", "exercises") for p in (out / package).rglob("*")
                   if p.is_file() and "__pycache__" not in p.parts)
    metadata = {f"{dist_info}/METADATA": f"Metadata-Version: 2.1\nName: torchgrade\n"
                f"Version: {version}\nSummary: torchgrade student kit ({assignment})\n",
                f"{dist_info}/WHEEL": "Wheel-Version: 1.0\nGenerator: torchgrade\n"
                "Root-Is-Purelib: true\nTag: py3-none-any\n"}
    records = []
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            name = path.relative_to(out).as_posix()
            archive.write(path, name)
            records.append(_record_line(name, path.read_bytes()))
        for name, text in metadata.items():
            archive.writestr(name, text)
            records.append(_record_line(name, text.encode()))
        records.append(f"{dist_info}/RECORD,,")
        archive.writestr(f"{dist_info}/RECORD", "\n".join(records) + "\n")
    return wheel


def build(out: Path, assignment: str, exercises: tuple[str, ...], sandbox=None) -> Path:
    """Write the student kit to ``out`` (which must not exist yet); the wheel's path."""
    out = Path(out)
    if out.exists():
        raise FileExistsError(f"{out} exists: the student kit goes into a new folder")
    exercises = with_siblings(exercises)
    key = record(exercises, sandbox)
    _copy_graders(out, exercises)
    _copy_exercises(out, exercises)
    key.save(out / _key.KEY_FILE.relative_to(ROOT))
    _write_segments(out, exercises)
    _describe(out, assignment, exercises)
    return pack(out, assignment)
