"""The catalogue of student mistakes and correct alternatives, read from tests/.

``tests/mistakes/<exercise>/<name>.py`` is a whole exercise file with one
realistic mistake. Its docstring says what it is and what grading must show:

    '''Sums the squared errors instead of averaging them (seed 002's mse).

    fails: numpy_value, torch_value
    hint: summed instead of averaging
    '''

``fails`` lists checks (a parametrized check matches all its cases) that must
fail, and the only ones it may fail (one slip, one deduction: anything more is
collateral, a defect of the grader); ``hint`` is text that must appear in the
hint of every one of them. Checks gated on a failed core check are not counted.
``tests/alternatives/<exercise>/<name>.py`` is a correct implementation written
differently from the reference: it must score full marks.

``tests/vacuous/<exercise>/<name>.py`` is lazy work that computes nothing real
(constants, zeros of the right shape, pass-through, "only raise on bad input",
``return None``, right layers with a dead ``forward``). It must score 0, except on
checks its docstring lists as genuinely done, with why::

    '''Zero logits from the right layers.

    legit: layer_shapes -- the layers are defined as the contract asks
    '''
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from graders._layout import SIBLINGS

HERE = Path(__file__).parent
SOLUTIONS = HERE.parent / "solutions"
# Exercises whose file imports other exercises of the kit (``from .net import Net``): their
# catalogue files are graded beside the reference versions of those.


@dataclass(frozen=True)
class Mistake:
    exercise: str
    name: str
    path: Path
    description: str
    fails: tuple[str, ...]
    hint: str

    @property
    def id(self) -> str:
        return f"{self.exercise}/{self.name}"


def _field(lines: list[str], key: str) -> str:
    found = [line.split(":", 1)[1].strip() for line in lines if line.startswith(f"{key}:")]
    if len(found) != 1:
        raise ValueError(f"needs exactly one '{key}:' line in its docstring")
    return found[0]


def read_mistake(path: Path) -> Mistake:
    docstring = ast.get_docstring(ast.parse(path.read_text())) or ""
    lines = [line.strip() for line in docstring.splitlines()]
    try:
        fails = tuple(name.strip() for name in _field(lines, "fails").split(","))
        hint = _field(lines, "hint")
    except ValueError as error:
        raise ValueError(f"{path}: {error}") from None
    return Mistake(path.parent.name, path.stem, path, lines[0], fails, hint)


@dataclass(frozen=True)
class Vacuous:
    exercise: str
    name: str
    path: Path
    description: str
    legit: tuple[str, ...]  # checks it may pass: that part of the work is genuinely done
    why: str

    @property
    def id(self) -> str:
        return f"{self.exercise}/{self.name}"


def read_vacuous(path: Path) -> Vacuous:
    docstring = ast.get_docstring(ast.parse(path.read_text())) or ""
    lines = [line.strip() for line in docstring.splitlines()]
    found = [line.split(":", 1)[1] for line in lines if line.startswith("legit:")]
    checks, _, why = (found[0] if found else "").partition(" -- ")
    legit = tuple(name.strip() for name in checks.split(",") if name.strip())
    if legit and not why.strip():
        raise ValueError(f"{path}: 'legit:' must say why after ' -- '")
    return Vacuous(path.parent.name, path.stem, path, lines[0] if lines else "", legit,
                   why.strip())


def vacuous(exercise: str | None = None) -> list[Vacuous]:
    pattern = f"{exercise or '*'}/*.py"
    return [read_vacuous(path) for path in sorted((HERE / "vacuous").glob(pattern))]


def declares_core(exercise: str) -> bool:
    """Whether the exercise's grader names its core checks (``CORE = (...)``): the credit
    rules (gates, no collateral, vacuous work earns nothing) hold for it."""
    tree = ast.parse((HERE.parent / "graders" / f"test_{exercise}.py").read_text())
    return any(isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "CORE"
                                                    for t in node.targets)
               for node in tree.body)


def mistakes(exercise: str | None = None) -> list[Mistake]:
    pattern = f"{exercise or '*'}/*.py"
    return [read_mistake(path) for path in sorted((HERE / "mistakes").glob(pattern))]


def alternatives(exercise: str | None = None) -> list[Path]:
    return sorted((HERE / "alternatives").glob(f"{exercise or '*'}/*.py"))


def submission_files(exercise: str, path: Path | None) -> dict[str, Path]:
    """The files to grade a catalogue file with: itself and the reference siblings it imports."""
    siblings = {name: SOLUTIONS / f"{name}.py" for name in SIBLINGS.get(exercise, ())}
    return {**siblings, exercise: path} if path is not None else siblings


def variant_checks(exercise: str) -> set[str]:
    """The grader's checks that draw their inputs from the student's variant."""
    tree = ast.parse((HERE.parent / "graders" / f"test_{exercise}.py").read_text())
    return {node.name.removeprefix("test_") for node in tree.body
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
            and "variant" in {arg.arg for arg in node.args.args}}


def matches(check: str, name: str) -> bool:
    """'numpy_value' names every case of the parametrized check numpy_value[...]."""
    return check == name or check.startswith(name + "[")


def failed_hints(result) -> dict[str, str]:
    """Check name to hint, for the failed checks of one graded exercise."""
    return {c.check: c.hint for c in result.checks if c.status == "failed"}


def earned(result) -> dict[str, float]:
    """Check name to points, for the checks of one graded exercise that earned any."""
    return {c.check: c.points for c in result.checks if c.points > 0}


def collateral(result, mistake: Mistake) -> list[str]:
    """Checks a mistake fails that it is not meant to (gated checks do not count)."""
    return sorted(check for check in failed_hints(result)
                  if not any(matches(check, name) for name in mistake.fails))


def mistake_problems(result, mistake: Mistake) -> list[str]:
    """What is wrong with how grading treated a mistake: [] when caught with its hint."""
    failed = failed_hints(result)
    problems = []
    for name in mistake.fails:
        hits = [check for check in failed if matches(check, name)]
        if not hits:
            problems.append(f"uncaught by {name} (failed: {', '.join(failed) or 'nothing'})")
        problems += [f"wrong hint on {check}: {failed[check]}" for check in hits
                     if mistake.hint not in failed[check]]
    return problems


def graded_mutant(grade_files, exercise: str, source: str):
    """A mutated solution of ``exercise`` graded beside the reference siblings it imports."""
    files: dict[str, Path | str] = {name: SOLUTIONS / f"{name}.py"
                                    for name in SIBLINGS.get(exercise, ())}
    files[exercise] = source
    return grade_files(files, [exercise]).exercise(exercise)
