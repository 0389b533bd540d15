"""Generate ``exercises/`` from ``solutions/``: one source for stubs and solutions.

Every region between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` becomes
``raise NotImplementedError`` at the marker's indentation, as nbgrader does;
signatures, docstrings, imports and scaffolding stay.
"""

from __future__ import annotations

import re
import sys

from graders._layout import EXERCISES_DIR, SOLUTIONS

BEGIN = re.compile(r"^(?P<indent>\s*)### BEGIN SOLUTION\s*$")
END = re.compile(r"^\s*### END SOLUTION\s*$")
STUB_LINES = ("# YOUR CODE HERE", "raise NotImplementedError")


class MarkerError(ValueError):
    """Unbalanced or misplaced solution markers."""


def make_stub(source: str, name: str = "<source>") -> str:
    """The student's version of a solution module."""
    out: list[str] = []
    inside = False
    for number, line in enumerate(source.splitlines(keepends=True), start=1):
        begin = BEGIN.match(line)
        if begin:
            if inside:
                raise MarkerError(f"{name}:{number}: BEGIN SOLUTION inside a solution region")
            if not begin["indent"]:
                raise MarkerError(f"{name}:{number}: put solution regions inside a function "
                                  "body, so that the stub still imports")
            inside = True
            out.extend(f"{begin['indent']}{stub}\n" for stub in STUB_LINES)
        elif END.match(line):
            if not inside:
                raise MarkerError(f"{name}:{number}: END SOLUTION without BEGIN SOLUTION")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise MarkerError(f"{name}: BEGIN SOLUTION is never closed")
    return "".join(out)


def expected_stubs() -> dict[str, str]:
    """File name to stub text, for every module in ``solutions/``."""
    stubs = {}
    for path in sorted(SOLUTIONS.glob("*.py")):
        text = path.read_text()
        stubs[path.name] = text if path.name == "__init__.py" else make_stub(text, path.name)
    stubs["__init__.py"] = '"""Your exercises: implement each stub, then run `nox -s grade`."""\n'
    return stubs


def stale_stubs() -> list[str]:
    """Files in ``exercises/`` that differ from what ``write_stubs`` would write."""
    return [
        name for name, text in expected_stubs().items()
        if not (EXERCISES_DIR / name).is_file() or (EXERCISES_DIR / name).read_text() != text
    ]


def write_stubs() -> list[str]:
    EXERCISES_DIR.mkdir(exist_ok=True)
    stale = stale_stubs()
    stubs = expected_stubs()
    for name in stale:
        (EXERCISES_DIR / name).write_text(stubs[name])
    return stale


def main(check: bool = False) -> int:
    if check:
        stale = stale_stubs()
        for name in stale:
            print(f"exercises/{name} is out of date: run `python -m graders stubs`",
                  file=sys.stderr)
        return 1 if stale else 0
    for name in write_stubs():
        print(f"wrote exercises/{name}")
    return 0
