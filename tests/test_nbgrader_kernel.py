"""The notebook side without nbgrader: cells from solutions, and a test cell's check()."""

from __future__ import annotations

import pytest

from graders._layout import EXERCISES, SOLUTIONS
from graders._report import GradeReport, render_hints
from graders.nbgrader import kernel
from graders.nbgrader._source import SOLUTION, exercise_source, latest_definitions

MSE = exercise_source("mse")
REFERENCE = next(s.source for s in MSE.segments if s.kind == SOLUTION)
SUMS = """\
def mse(y_pred, y):
    if tuple(y_pred.shape) != tuple(y.shape):
        raise ValueError("shapes differ")
    if isinstance(y_pred, torch.Tensor):
        return ((y_pred - y) ** 2).sum()
    return float(np.sum((np.asarray(y_pred) - np.asarray(y)) ** 2))
"""


@pytest.mark.parametrize("exercise", EXERCISES)
def test_cells_rebuild_the_solution_exactly(exercise):
    source = exercise_source(exercise)
    assert source.solution_names
    cells = {s.name: s.source for s in source.segments if s.kind == SOLUTION}
    assert source.rebuild(cells) == (SOLUTIONS / f"{exercise}.py").read_text()


def test_the_latest_input_defining_a_name_wins():
    inputs = [
        "import numpy as np",
        "def mse(a, b):\n    return 1",
        "print(mse(1, 2))",
        "def mse(a, b):\n    return 2",
        "def other():\n    pass",
        "def mse(a, b:\n",
    ]
    assert latest_definitions(("mse",), inputs) == {"mse": "def mse(a, b:\n"}
    assert latest_definitions(("mse",), inputs[:4]) == {"mse": inputs[3]}
    assert latest_definitions(("mse",), inputs[:1]) == {}


@pytest.fixture
def kernel_history(monkeypatch, sandbox):
    """check() as in a kernel whose inputs are given, sharing the suite's fork server."""
    monkeypatch.setitem(kernel._state, "sandbox", sandbox)

    def use(*inputs: str) -> None:
        monkeypatch.setattr(kernel, "_history", lambda: list(inputs))

    return use


@pytest.mark.parametrize(("code", "expected"), [(REFERENCE, "full"), (SUMS, 0.0)])
def test_check_prints_the_cli_hints_and_returns_the_points(
    kernel_history, grade_files, capsys, code, expected
):
    kernel_history("import numpy as np\nimport torch", code, "check('mse', 'numpy_value')")
    points = kernel.check("mse", "numpy_value")
    out, err = capsys.readouterr()
    report = grade_files({"mse": MSE.rebuild({"mse": code})}, ["mse"])
    cases = [c for c in report.exercise("mse").checks if c.check.startswith("numpy_value[")]
    assert points == (sum(c.max_points for c in cases) if expected == "full" else expected)
    assert err == ""
    mine = GradeReport("", (type(report.exercise("mse"))("mse", tuple(cases)),))
    hints = render_hints(mine)
    assert out.startswith(f"mse / numpy_value: {points:g}/")
    assert (hints in out) if hints else "all checks passed" in out


def test_check_without_the_function_says_so(kernel_history, capsys):
    kernel_history("import numpy as np")
    assert kernel.check("mse", "meta_device") == 0.0
    out, err = capsys.readouterr()
    assert "does not define `mse`" in out
    assert err == ""
