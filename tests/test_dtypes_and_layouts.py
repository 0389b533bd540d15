"""Dtypes and memory layouts the contracts promise to keep are graded (issue 12, item 4).

Each mutant is a reference solution with one statement added at the top of one function:
- ``float32 only``: the tensor argument is cast with ``.float()`` (a float64 input loses
  its dtype), where the contract says the result keeps its input's dtype;
- ``contiguous only``: the tensor argument goes through ``.view(-1)``, which raises for a
  non-contiguous (transposed, permuted) tensor, where the contract takes any tensor.
Grading the mutant must cost points: some check's inputs are float64, or non-contiguous.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

import pytest
from catalogue import SOLUTIONS, graded_mutant

FLOAT32_ONLY = "{name} = {name}.float() if isinstance({name}, torch.Tensor) else {name}"
CONTIGUOUS_ONLY = "_ = {name}.view(-1) if isinstance({name}, torch.Tensor) else None"

# (exercise, function, argument, the contract's words that promise it)
KEEPS_DTYPE = [
    ("classification", "softmax", "logits", "a tensor of the same shape, dtype and device"),
    ("device", "to_device", "data", "the tensor moved to device (same shape, dtype and values)"),
    ("autograd", "leaf_gradients", "inputs", "gradient i has the shape, dtype and device of "
                                             "inputs[i]"),
]
ANY_LAYOUT = [
    ("mse", "mse", "y_pred", "torch tensors in (any tensor: a transposed one too)"),
    ("mse", "mse", "y", "torch tensors in (any tensor: a transposed one too)"),
    ("classification", "softmax", "logits", "any (N, C) logits"),
    ("classification", "cross_entropy", "logits", "any (N, C) logits"),
    ("tensors", "flatten_features", "batch", "a non-contiguous batch (e.g. a permuted one)"),
]


@dataclass(frozen=True)
class Mutant:
    exercise: str
    function: str
    argument: str
    kind: str
    source: str

    @property
    def id(self) -> str:
        return f"{self.exercise}/{self.function}/{self.argument}/{self.kind}"


def _with_first_statement(source: str, function: str, statement: str) -> str:
    """``source`` with ``statement`` run first in ``function`` (after its docstring)."""
    tree = ast.parse(source)
    node = next(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == function)
    first = node.body[0]
    has_docstring = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
    anchor = node.body[1] if has_docstring and len(node.body) > 1 else first
    lines = source.splitlines(keepends=True)
    lines.insert(anchor.lineno - 1, " " * anchor.col_offset + statement + "\n")
    return "".join(lines)


def _statement(template: str, argument: str, function: str) -> str:
    if argument == "inputs" and function == "leaf_gradients":  # *inputs: every one of them
        cast = template.format(name="item").split(" = ", 1)[-1]
        return f"inputs = tuple({cast} for item in inputs)"
    return template.format(name=argument)


def mutants() -> list[Mutant]:
    found = []
    for kind, template, promises in (("float32-only", FLOAT32_ONLY, KEEPS_DTYPE),
                                     ("contiguous-only", CONTIGUOUS_ONLY, ANY_LAYOUT)):
        for exercise, function, argument, _ in promises:
            source = (SOLUTIONS / f"{exercise}.py").read_text()
            statement = _statement(template, argument, function)
            found.append(Mutant(exercise, function, argument, kind,
                                _with_first_statement(source, function, statement)))
    return found


def test_the_mutants_change_the_solutions():
    for mutant in mutants():
        assert mutant.source != (SOLUTIONS / f"{mutant.exercise}.py").read_text()
        assert "import torch" in mutant.source


@pytest.mark.parametrize("mutant", mutants(), ids=lambda m: m.id)
def test_a_lost_dtype_or_layout_costs_points(grade_files, mutant: Mutant):
    result = graded_mutant(grade_files, mutant.exercise, mutant.source)
    assert result.max_score > 0
    assert result.score < result.max_score, (
        f"{mutant.id}: a {mutant.function} that works only on {mutant.kind.split('-')[0]} "
        f"{mutant.argument} earns full marks")


# Random initialisations the contracts name are checked for their distribution, not only
# their shape: "weights" is the standard normal (tensors.make_tensors).
WRONG_DISTRIBUTIONS = {
    "uniform": "torch.rand(2, 3, device=device, requires_grad=True)",
    "uniform-centred": "(torch.rand(2, 3, device=device) * 2 - 1).requires_grad_()",
    "narrow": "(0.1 * torch.randn(2, 3, device=device)).requires_grad_()",
    "wide": "(3 * torch.randn(2, 3, device=device)).requires_grad_()",
}
RIGHT_DRAW = "torch.randn(2, 3, device=device, requires_grad=True)"


@pytest.mark.parametrize("draw", list(WRONG_DISTRIBUTIONS))
def test_a_wrong_distribution_costs_points(grade_files, draw):
    source = (SOLUTIONS / "tensors.py").read_text()
    assert RIGHT_DRAW in source
    mutant = source.replace(RIGHT_DRAW, WRONG_DISTRIBUTIONS[draw])
    result = grade_files({"tensors": mutant}, ["tensors"]).exercise("tensors")
    status = {c.check: c.status for c in result.checks}
    assert status["weights_standard_normal"] == "failed", f"{draw} weights pass as randn"
