"""The install story the README tells (issue 16), checked without installing anything.

`.ci/fresh-user` runs the README's first command for real, as a new user without root; these
tests keep the documents, the noxfile and pyproject.toml telling one story.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", ROOT / "docs" / "students.md", ROOT / "docs" / "instructors.md"]


def _sessions() -> dict[str, ast.FunctionDef]:
    tree = ast.parse((ROOT / "noxfile.py").read_text())
    return {
        node.name: node
        for node in tree.body
        if isinstance(node, ast.FunctionDef)
        and any(name in ast.unparse(d) for d in node.decorator_list
                for name in ("nox.session", "instructor_session"))
    }


def _first_console_line(path: Path) -> str:
    lines = path.read_text().splitlines()
    return lines[lines.index("```console") + 1]


def test_first_command_needs_no_root_and_no_system_pip():
    """Stock Debian/Ubuntu refuse pip installs into the system Python (PEP 668)."""
    first = _first_console_line(ROOT / "README.md")
    assert first.startswith("python3 -m venv .venv && ")
    assert "sudo" not in first
    assert "--user" not in first
    assert "--break-system-packages" not in first
    assert first.endswith("nox -s grade")
    assert _first_console_line(ROOT / "docs" / "students.md") == first


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_documented_session_exists(doc):
    named = set(re.findall(r"nox(?: -f \S+)? -s (\w+)", doc.read_text()))
    assert named, f"{doc.name} names no nox session"
    assert named <= set(_sessions()), sorted(named - set(_sessions()))


def test_every_graders_command_has_a_session():
    """`python -m graders X` runs in `nox -s X`: no guessing which environment."""
    text = (ROOT / "README.md").read_text()
    commands = {name.replace("-", "_") for name in re.findall(r"python -m graders ([\w-]+)", text)}
    expected = {"grade", "batch", "validate", "stubs", "release", "autograde", "student_kit"}
    assert expected <= commands
    assert commands <= set(_sessions())


def test_noxfile_pins_no_python_version():
    """Sessions run on any supported Python present, not one pinned version."""
    source = (ROOT / "noxfile.py").read_text()
    assert not re.search(r"python\s*=\s*['\"]3\.", source)
    for name, node in _sessions().items():
        for decorator in node.decorator_list:
            assert "python=PYTHON" in ast.unparse(decorator), name


def test_supported_pythons_agree_with_pyproject():
    pyproject = (ROOT / "pyproject.toml").read_text()
    tree = ast.parse((ROOT / "noxfile.py").read_text())
    supported = next(
        ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "SUPPORTED"
    )
    assert f'requires-python = ">={supported[0]}"' in pyproject
    classified = re.findall(r"Programming Language :: Python :: (3\.\d+)", pyproject)
    assert tuple(classified) == supported
