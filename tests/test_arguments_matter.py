"""Every argument a contract names changes the grade: an ignored argument is caught.

For each function (and class constructor) of the reference solutions, and each of its
arguments with a default, a mutant of the reference ignores that argument: the first line
of the body sets it back to its default, whatever the caller passed (the `epochs`, `lr` or
`seed` a student forgets to use). Grading the mutant must cost points.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

import pytest
from catalogue import SOLUTIONS, graded_mutant


@dataclass(frozen=True)
class Ignored:
    exercise: str
    function: str
    argument: str
    source: str  # the whole mutated solution file

    @property
    def id(self) -> str:
        return f"{self.exercise}/{self.function}/{self.argument}"


def _defaults(function: ast.FunctionDef) -> list[tuple[str, ast.expr]]:
    positional = function.args.args[len(function.args.args) - len(function.args.defaults):]
    named = [(a.arg, d) for a, d in zip(function.args.kwonlyargs, function.args.kw_defaults,
                                        strict=True) if d is not None]
    return [(a.arg, d) for a, d in zip(positional, function.args.defaults, strict=True)] + named


def _contract_functions(tree: ast.Module):
    """Public functions, and the constructors of public classes, with their display names."""
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
            yield node.name, node
        if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and item.name == "__init__":
                    yield node.name, item


def _ignoring(source: str, function: ast.FunctionDef, argument: str,
              default: ast.expr) -> str:
    """``source`` with ``argument = <default>`` as the first statement of ``function``."""
    lines = source.splitlines(keepends=True)
    first = function.body[0]
    has_docstring = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
    anchor = function.body[1] if has_docstring and len(function.body) > 1 else first
    indent = " " * anchor.col_offset
    line = f"{indent}{argument} = {ast.get_source_segment(source, default)}  # ignored\n"
    lines.insert(anchor.lineno - 1, line)
    return "".join(lines)


def ignored_arguments() -> list[Ignored]:
    mutants = []
    for path in sorted(SOLUTIONS.glob("*.py")):
        if path.stem == "__init__":
            continue
        source = path.read_text()
        for name, function in _contract_functions(ast.parse(source)):
            for argument, default in _defaults(function):
                mutants.append(Ignored(path.stem, name, argument,
                                       _ignoring(source, function, argument, default)))
    return mutants


def test_every_contract_has_arguments_to_ignore():
    assert len(ignored_arguments()) >= 20


@pytest.mark.parametrize("mutant", ignored_arguments(), ids=lambda m: m.id)
def test_an_ignored_argument_costs_points(grade_files, mutant: Ignored):
    result = graded_mutant(grade_files, mutant.exercise, mutant.source)
    assert result.max_score > 0
    assert result.score < result.max_score, (
        f"{mutant.id}: a {mutant.function} that ignores {mutant.argument} earns full marks")
