"""Source notebooks for nbgrader, built from solutions/ and docs/, and code read back from them.

One notebook per exercise: a locked introduction, a locked cell that starts
the grader, the exercise's given code (locked) and one solution cell per
function or class (``### BEGIN/END SOLUTION`` kept, for ``generate_assignment``
to turn into stubs), then one locked test cell per check worth points.
"""

from __future__ import annotations

import re

from graders._layout import ROOT
from graders.nbgrader._source import GIVEN, ExerciseSource, exercise_source

SCHEMA_VERSION = 3
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def grade_id(exercise: str, part: str) -> str:
    return f"{exercise}-{part}"


def check_cell_id(exercise: str, check: str) -> str:
    return f"{exercise}-test-{check}"


def check_of(exercise: str, cell_grade_id: str) -> str | None:
    """The check a test cell runs, from its grade_id; None for other cells."""
    prefix = check_cell_id(exercise, "")
    return cell_grade_id[len(prefix) :] if cell_grade_id.startswith(prefix) else None


def _cell(
    cell_type: str,
    cell_id: str,
    source: str,
    *,
    locked: bool = False,
    solution: bool = False,
    points: float | None = None,
) -> dict:
    import nbformat

    nbgrader = {
        "grade": points is not None,
        "grade_id": cell_id,
        "locked": locked,
        "schema_version": SCHEMA_VERSION,
        "solution": solution,
        "task": False,
    }
    if points is not None:
        nbgrader["points"] = points
    metadata = {"nbgrader": nbgrader}
    if locked:
        metadata.update(deletable=False, editable=False)
    make = nbformat.v4.new_code_cell if cell_type == "code" else nbformat.v4.new_markdown_cell
    return make(source, id=cell_id, metadata=metadata)


def _what_it_teaches(exercise: str) -> str:
    """From the exercise's docs page: a section on what it teaches, else the paragraphs
    before its first section (its sources and aims), less those about the kit's files."""
    page = ROOT / "docs" / "exercises" / f"{exercise}.md"
    if not page.is_file():
        return ""
    sections = re.split(r"^(#{1,6} .*)$", page.read_text(), flags=re.MULTILINE)
    for heading, body in zip(sections[1::2], sections[2::2], strict=True):
        if re.search(r"teach", heading, flags=re.IGNORECASE):
            return body.strip()
    before = sections[2] if len(sections) > 2 and sections[1].startswith("# ") else sections[0]
    paragraphs = [p.strip() for p in before.split("\n\n") if p.strip()]
    return "\n\n".join(p for p in paragraphs if not re.search(r"\b(graders|tests)/", p))


def _points(value: float) -> str:
    return f"{value:g} point" + ("" if value == 1 else "s")


HOW_IT_WORKS = """\
Replace each `raise NotImplementedError()` (under `# YOUR CODE HERE`) with your code, and \
run the cell. Then run the test cells at the end: each one grades one check on the code you \
have run (the last run of each function or class), prints the same hints as \
`python -m graders grade {exercise}`, and shows the points it earned. Your code runs in a \
separate process while it is graded, so nothing it prints or changes in this notebook \
affects the checks.

When you submit, the autograder grades the code in your solution cells again, on its own: \
that is your score. Code outside the solution cells is not graded."""


def introduction(source: ExerciseSource, points: dict[str, float],
                 hidden: frozenset[str] = frozenset()) -> str:
    title, _, contract = source.docstring.partition("\n")
    graded = {name: worth for name, worth in points.items() if worth > 0}
    checks = "\n".join(f"- `{name}`: {_points(worth)}" for name, worth in graded.items()
                       if name not in hidden)
    secret = sum(worth for name, worth in graded.items() if name in hidden)
    if secret:
        checks += (f"\n- hidden checks, graded by your instructor on inputs drawn for you: "
                   f"{_points(secret)}")
    ungraded = [name for name, worth in points.items() if worth <= 0]
    extra = (
        f"\n\nNot in this notebook (0 points, they need a GPU): "
        f"{', '.join(f'`{name}`' for name in ungraded)}; "
        f"`python -m graders grade {source.exercise}` runs them."
        if ungraded
        else ""
    )
    teaches = _what_it_teaches(source.exercise)
    return "\n\n".join(
        part
        for part in [
            f"# {title.strip()}",
            teaches,
            "## What to write",
            contract.strip(),
            "## How this notebook works",
            HOW_IT_WORKS.format(exercise=source.exercise),
            f"### Checks ({_points(sum(graded.values()))} in all)\n\n{checks}{extra}",
        ]
        if part
    )


GRADER_CELL = (
    "# The test cells at the end grade your code in a separate process; this starts it.\n"
    "from graders.nbgrader.kernel import check, start_grader\n"
    "\n"
    "start_grader()"
)


def _test_source(exercise: str, check: str, worth: float, hidden: bool = False) -> str:
    if hidden:
        # Nothing to run (only the instructor's kit has the check, and autograde runs no
        # cell), so no nbgrader hidden tests: the cell is the same in the source and the
        # release, and autograde does not log its checksum as changed (jupyter/nbgrader#1961).
        return (
            f"# Hidden check `{check}` ({_points(worth)}): your instructor grades it, on inputs "
            "drawn for you,\n"
            "# when you submit. There is nothing to run here."
        )
    return (
        f"# Check `{check}` ({_points(worth)}): run this cell to grade your code.\n"
        "from graders.nbgrader.kernel import check\n"
        "\n"
        f"check({exercise!r}, {check!r})"
    )


def build_notebook(exercise: str, points: dict[str, float], hidden: frozenset[str] = frozenset()):
    """The nbgrader source notebook of ``exercise`` (with solutions, as an nbformat node);
    the ``hidden`` checks' cells hold their name and points only, no code."""
    import nbformat

    source = exercise_source(exercise)
    cells = [
        _cell("markdown", grade_id(exercise, "intro"), introduction(source, points, hidden),
              locked=True),
        _cell("code", grade_id(exercise, "grader"), GRADER_CELL, locked=True),
    ]
    for segment in source.segments:
        kind = {"locked": True} if segment.kind == GIVEN else {"solution": True}
        cells.append(_cell("code", grade_id(exercise, segment.name), segment.source, **kind))
    cells.append(
        _cell(
            "markdown",
            grade_id(exercise, "checks"),
            "## Checks\n\nRun each cell below to grade one check.",
            locked=True,
        )
    )
    for check, worth in points.items():
        if worth > 0:  # nbgrader needs points > 0; 0-point checks (CUDA) stay in the CLI
            cells.append(
                _cell(
                    "code",
                    check_cell_id(exercise, check),
                    _test_source(exercise, check, worth, check in hidden),
                    locked=True,
                    points=worth,
                )
            )
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata.update(kernelspec=KERNELSPEC, language_info={"name": "python"})
    return notebook


def cell_source(cell: dict) -> str:
    source = cell.get("source", "")
    if isinstance(source, list):
        return "".join(part for part in source if isinstance(part, str))
    return source if isinstance(source, str) else ""


def notebook_cells(notebook: object) -> list[dict]:
    """The notebook's cells that are JSON objects (a submitted file can hold anything)."""
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    return [cell for cell in cells if isinstance(cell, dict)] if isinstance(cells, list) else []


def cell_grade_id(cell: dict) -> str | None:
    """The cell's nbgrader grade_id; None if it has none (or not as a string)."""
    meta = cell.get("metadata")
    meta = meta.get("nbgrader") if isinstance(meta, dict) else None
    cell_id = meta.get("grade_id") if isinstance(meta, dict) else None
    return cell_id if isinstance(cell_id, str) else None


def submitted_solutions(notebook: dict, source: ExerciseSource) -> dict[str, str]:
    """The code of each solution cell, found by grade_id (outputs are never read).

    Where a grade_id appears more than once, the last cell wins, as in nbgrader's
    DeduplicateIds. IPython syntax (``%magic``) is turned into Python as the kernel does.
    """
    wanted = {grade_id(source.exercise, name): name for name in source.solution_names}
    found: dict[str, str] = {}
    for cell in notebook_cells(notebook):
        name = wanted.get(cell_grade_id(cell))
        if name and cell.get("cell_type") == "code":
            found[name] = _as_python(cell_source(cell))
    return found


def _as_python(code: str) -> str:
    try:
        from IPython.core.inputtransformer2 import TransformerManager
    except ImportError:
        return code
    try:
        return TransformerManager().transform_cell(code)
    except Exception:
        return code


def module_from_notebook(notebook: dict, exercise: str) -> str:
    """``<exercise>.py`` as the autograder grades it: given code around the solution cells."""
    source = exercise_source(exercise)
    return source.rebuild(submitted_solutions(notebook, source))
