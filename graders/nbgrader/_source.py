"""An exercise module as notebook cells, and back (standard library only: the kernel uses it).

``solutions/<exercise>.py`` splits into a header (the module docstring), and
segments in file order: *given* code (imports, scaffolding: consecutive
top-level statements without a solution region) and one *solution* segment per
top-level function or class holding a ``### BEGIN SOLUTION`` region. A
notebook has one cell per segment; rebuilding ``<exercise>.py`` puts the
trusted header and given code back around the student's solution code.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass

from graders._layout import EXERCISES_DIR, GRADERS, SOLUTIONS

# In the student kit (no solutions/): each exercise's solution names, written by
# ``python -m graders student-kit``; the stub then gives the header and the given code.
SEGMENTS_FILE = GRADERS / "segments.json"

GIVEN, SOLUTION = "given", "solution"
BEGIN_MARKER = "### BEGIN SOLUTION"
_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


@dataclass(frozen=True)
class Segment:
    kind: str  # GIVEN or SOLUTION
    name: str  # a solution's function or class name; "setup", "given-2", ... for given code
    source: str


@dataclass(frozen=True)
class ExerciseSource:
    exercise: str
    docstring: str
    header: str  # the module's text before its first statement (docstring, comments)
    segments: tuple[Segment, ...]

    @property
    def solution_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.segments if s.kind == SOLUTION)

    def rebuild(self, solutions: dict[str, str]) -> str:
        """The module with each solution segment replaced by ``solutions[name]`` ('' if absent).

        Code shared by several names (one cell defining two functions) is kept once.
        """
        parts, seen = [], set()
        for segment in self.segments:
            code = segment.source if segment.kind == GIVEN else solutions.get(segment.name, "")
            code = code.strip("\n")
            if code.strip() and (segment.kind == GIVEN or code not in seen):
                seen.add(code)
                parts.append(code)
        header = self.header.strip("\n")
        body = "\n\n\n".join(parts)
        return (f"{header}\n\n{body}" if header else body).strip("\n") + "\n"


def _first_line(node: ast.stmt) -> int:
    decorators = getattr(node, "decorator_list", [])
    return min([node.lineno, *(d.lineno for d in decorators)])


def _is_comment(line: str) -> bool:
    return line.lstrip().startswith("#")


def split_source(
    exercise: str, text: str, solutions: tuple[str, ...] | None = None
) -> ExerciseSource:
    """Split an exercise module into header and segments.

    Solution segments are the functions and classes holding a solution region
    (a reference solution), or those named in ``solutions`` (a student's file).
    """
    tree = ast.parse(text)
    lines = text.splitlines(keepends=True)
    body = list(tree.body)
    docstring = ast.get_docstring(tree) or ""
    if docstring:
        body = body[1:]
    starts = []
    for node in body:
        start = _first_line(node) - 1
        while start > 0 and _is_comment(lines[start - 1]):  # comments above belong below
            start -= 1
        starts.append(start)
    ends = [*starts[1:], len(lines)]
    header = "".join(lines[: starts[0]]) if starts else text
    spans: list[list] = []  # [kind, name, start, end], consecutive given code merged
    for node, start, end in zip(body, starts, ends, strict=True):
        solution = isinstance(node, _DEFINITIONS) and (
            BEGIN_MARKER in "".join(lines[start:end])
            if solutions is None
            else node.name in solutions
        )
        if solution:
            spans.append([SOLUTION, node.name, start, end])
        elif spans and spans[-1][0] == GIVEN:
            spans[-1][3] = end
        else:
            given = sum(span[0] == GIVEN for span in spans)
            spans.append([GIVEN, "setup" if not given else f"given-{given + 1}", start, end])
    segments = [
        Segment(kind, name, "".join(lines[start:end]).strip("\n"))
        for kind, name, start, end in spans
    ]
    return ExerciseSource(exercise, docstring, header, tuple(segments))


def exercise_source(exercise: str) -> ExerciseSource:
    """The reference solution of ``exercise``, split (trusted: read from solutions/); in the
    student kit, its stub split at the solution names the kit recorded."""
    reference = SOLUTIONS / f"{exercise}.py"
    if reference.is_file() or not SEGMENTS_FILE.is_file():
        return split_source(exercise, reference.read_text())
    names = json.loads(SEGMENTS_FILE.read_text())[exercise]
    return split_source(exercise, (EXERCISES_DIR / f"{exercise}.py").read_text(), tuple(names))


def defined_names(code: str) -> set[str]:
    """Top-level names a cell defines (functions, classes, assignments, imports)."""
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        return _names_by_pattern(code)
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, _DEFINITIONS):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
    return names


def _names_by_pattern(code: str) -> set[str]:
    # A cell with a syntax error still "defines" what it tries to: grading then
    # reports the syntax error, as `python -m graders grade` would.
    return set(re.findall(r"^(?:async\s+def|def|class)\s+(\w+)", code, flags=re.MULTILINE))


def latest_definitions(names: tuple[str, ...], inputs: list[str]) -> dict[str, str]:
    """For each name, the latest input (a kernel's execution history) that defines it."""
    found: dict[str, str] = {}
    for code in inputs:
        for name in defined_names(code) & set(names):
            found[name] = code
    return found
