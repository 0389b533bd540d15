"""Each exercise's page (docs/exercises/<exercise>.md) lists its grader's checks as they are.

The table under "How it is graded" has one row per check::

    | check | points | what it checks |
    | `numpy_value` ×4 | 2 each (core) | ... |
    | `numpy_returns_float` | 1, after `numpy_value` | ... |

The name, the number of cases (×N), the points per case, whether it is core and the checks
it waits for are read from the grader's markers and compared with the page. After changing
a grader, ``python tests/test_docs.py EXERCISE ...`` rewrites those columns of its page's
rows (the "what it checks" text is the author's).
"""

from __future__ import annotations

import importlib
import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from graders import EXERCISES

DOCS = Path(__file__).resolve().parent.parent / "docs" / "exercises"
ROW = re.compile(r"^\| `(?P<name>\w+)`(?: ×(?P<cases>\d+))? \| (?P<points>[^|]+) \|")
POINTS = re.compile(r"^(?P<points>\d+(?:\.\d+)?)(?: each)?(?P<rest>.*)$")


@dataclass(frozen=True)
class Row:
    cases: int
    points: float
    core: bool
    after: tuple[str, ...]
    hidden: bool = False  # only the instructor's kit runs it (@pytest.mark.hidden)


def _mark(function, name: str) -> list:
    return [mark for mark in getattr(function, "pytestmark", []) if mark.name == name]


def _from_grader(exercise: str) -> dict[str, Row]:
    module = importlib.import_module(f"graders.test_{exercise}")
    core = tuple(getattr(module, "CORE", ()))
    rows = {}
    for attribute, function in vars(module).items():
        if not attribute.startswith("test_") or not callable(function):
            continue
        (points,) = _mark(function, "points")
        after = points.kwargs.get("after", ())
        cases = math.prod(len(list(mark.args[1])) for mark in _mark(function, "parametrize"))
        name = attribute.removeprefix("test_")
        rows[name] = Row(cases, float(points.args[0]), name in core,
                         (after,) if isinstance(after, str) else tuple(after),
                         bool(_mark(function, "hidden")))
    return rows


def _from_page(exercise: str) -> dict[str, Row]:
    rows, in_table = {}, False
    for line in (DOCS / f"{exercise}.md").read_text().splitlines():
        in_table = line.startswith("| check | points |") or (in_table and line.startswith("|"))
        found = ROW.match(line) if in_table else None
        if not found:
            continue
        points = POINTS.match(found["points"].strip())
        assert points, f"{exercise}.md: cannot read the points of {found['name']}: {line}"
        rest = points["rest"]
        after = tuple(re.findall(r"`(\w+)`", rest)) if "after" in rest else ()
        rows[found["name"]] = Row(int(found["cases"] or 1), float(points["points"]),
                                  "(core" in rest, after, rest.startswith(", hidden"))
        assert line.rstrip(" |").split(" | ")[2:], f"{exercise}.md: say what {found['name']} checks"
    return rows


@pytest.mark.parametrize("exercise", EXERCISES)
def test_the_page_lists_the_graders_checks(exercise):
    """Checks, cases, points, core and gates on the exercise's page match its grader."""
    assert _from_page(exercise) == _from_grader(exercise)


def _points_cell(row: Row) -> str:
    text = f"{row.points:g}" + (" each" if row.cases > 1 else "")
    after = " and ".join(f"`{name}`" for name in row.after)
    text += ", hidden" if row.hidden else ""
    if row.core:
        return text + (f" (core, after {after})" if after else " (core)")
    return text + (f", after {after}" if after else "")


def _row_text(name: str, row: Row, described: str = " |") -> str:
    shown = f"`{name}`" + (f" ×{row.cases}" if row.cases > 1 else "")
    return f"| {shown} | {_points_cell(row)} |{described}"


def rewrite(exercise: str) -> None:
    """Bring the name and points columns of the page's rows in line with the grader; add a row,
    for the author to describe, for each check the page lacks."""
    rows, lines, in_table, last = _from_grader(exercise), [], False, None
    path = DOCS / f"{exercise}.md"
    shown = set(_from_page(exercise)) if path.is_file() else set()
    for text in path.read_text().splitlines():
        in_table = text.startswith("| check | points |") or (in_table and text.startswith("|"))
        found = ROW.match(text) if in_table else None
        if found and found["name"] in rows:
            rest = " | ".join(text.split(" | ")[2:])
            lines.append(_row_text(found["name"], rows[found["name"]], f" {rest}"))
        else:
            lines.append(text)
        last = len(lines) if in_table else last
    missing = [_row_text(name, row) for name, row in rows.items() if name not in shown]
    if last is not None:
        lines[last:last] = missing
    path.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    sys.path[:0] = [str(DOCS.parent.parent)]
    for name in sys.argv[1:]:
        rewrite(name)
