"""``python -m graders gradescope OUT.zip``: the autograder zip Gradescope builds its image from.

The zip is the instructor's side of the course, so it holds the answers:

    setup.sh            run once by Gradescope, as root: Python, a virtualenv, the pinned
                        requirements; then the kit is closed to every other user
    run_autograder      run for every submission: ``python -m graders.gradescope``
    requirements.txt    the CPU build of torch and the versions this kit was validated with
    autograder.json     the assignment: its name, its exercises, the kit's version and commit
    kit/                the grading engine, every check (hidden ones too), the solutions
    course/.torchgrade/secret
                        a course secret drawn for this zip alone: it seeds each student's
                        variant checks (``graders._variant``)

Nothing here imports torch: building takes a fraction of a second.
"""

from __future__ import annotations

import json
import re
import secrets
import zipfile
from importlib import metadata
from pathlib import Path

from graders._layout import EXERCISES_DIR, GRADERS, ROOT, SOLUTIONS
from graders._variant import SECRET_FILE

HERE = Path(__file__).resolve().parent
CPU_INDEX = "https://download.pytorch.org/whl/cpu"
CONFIG = "autograder.json"
KIT = "kit"
COURSE = "course"
SCRIPTS = ("setup.sh", "run_autograder")
# What the kit's graders folder never ships: caches, and the student kit's answer key.
LEFT_OUT = ("__pycache__", "key.pt", "segments.json")


def requirements() -> str:
    """requirements.txt: pyproject's dependencies pinned to the versions installed here (the
    ones the kit was validated with), torch as its CPU build from PyTorch's own index."""
    text = (ROOT / "pyproject.toml").read_text()
    block = re.search(r"^dependencies = \[(.*?)^\]", text, re.M | re.S)
    if block is None:
        raise RuntimeError("pyproject.toml has no dependencies list: update gradescope/_build.py")
    names = re.findall(r'^\s*"([A-Za-z0-9_.-]+)', block[1], re.M)
    lines = ["# torchgrade's autograder: the versions this kit was validated with.",
             f"--extra-index-url {CPU_INDEX}"]
    for name in names:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            raise RuntimeError(f"{name} is not installed here: build the zip in the Python "
                               "the kit is validated with (nox -s validate's)") from None
        if name == "torch":  # any local label (+cpu, +cu124) names another build
            version = version.split("+", 1)[0] + "+cpu"
        lines.append(f"{name}=={version}")
    return "\n".join(lines) + "\n"


def _kit_files() -> list[tuple[Path, str]]:
    """(file, name in the zip) for the engine, every check, the solutions and the stubs."""
    files = [(ROOT / "pyproject.toml", f"{KIT}/pyproject.toml")]
    for folder in (GRADERS, SOLUTIONS, EXERCISES_DIR):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not set(path.relative_to(ROOT).parts) & set(LEFT_OUT):
                files.append((path, f"{KIT}/{path.relative_to(ROOT).as_posix()}"))
    return files


def _add(archive: zipfile.ZipFile, name: str, data: bytes, mode: int) -> None:
    """One member with its Unix mode: Gradescope unzips with the executable bits kept."""
    info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
    info.external_attr = (0o100000 | mode) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data)


def describe(assignment: str, exercises: tuple[str, ...]) -> dict:
    """autograder.json: what run_autograder grades, and which kit it grades with."""
    from graders import _manifest

    return {"assignment": assignment, "exercises": list(exercises),
            "kit": {"name": "torchgrade", "version": _manifest._version("torchgrade"),
                    "commit": _manifest._commit()}}


def build(out: Path, assignment: str, exercises: tuple[str, ...]) -> Path:
    """Write the autograder zip to ``out`` (which must not exist: a new zip draws a new
    course secret, and with it new variants)."""
    out = Path(out)
    if out.exists():
        raise FileExistsError(f"{out} exists: a new zip draws a new course secret (new "
                              "variant checks); remove it first, or choose another name")
    config = json.dumps(describe(assignment, exercises), indent=2) + "\n"
    pinned = requirements()
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "x") as archive:
        for script in SCRIPTS:
            _add(archive, script, (HERE / script).read_bytes(), 0o755)
        _add(archive, "requirements.txt", pinned.encode(), 0o644)
        _add(archive, CONFIG, config.encode(), 0o644)
        for path, name in _kit_files():
            _add(archive, name, path.read_bytes(), 0o755 if name.endswith(SCRIPTS) else 0o644)
        _add(archive, f"{COURSE}/{SECRET_FILE}", (secrets.token_hex(32) + "\n").encode(), 0o600)
    return out
