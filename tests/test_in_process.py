"""The benchmarks' floor (``benchmarks/in_process.py``) grades as the sandbox grades.

The floor a batch is judged against is the same grade with every probe run in one
process and no sandbox. It is only a floor if it does the same work and reaches the
same verdicts: a probe that got the caller's own tensors, or a module left over from
the probe before, would change both.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from graders import grade
from graders._layout import SOLUTIONS

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def in_process():
    path = ROOT / "benchmarks" / "in_process.py"
    spec = importlib.util.spec_from_file_location("in_process", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    yield module
    for name in [n for n in sys.modules if n == "submission" or n.startswith("submission.")]:
        del sys.modules[name]  # the last probe's import of the catalogue file


def _verdicts(report) -> list[tuple]:
    return [(c.exercise, c.check, c.points, c.status, c.hint)
            for result in report.exercises for c in result.checks]


# tensors' probes write into what the submission returned (views, shared memory); mse's
# student file is a catalogued mistake: a wrong answer must come out wrong in-process too.
@pytest.mark.parametrize("exercise", ["tensors", "mse"])
def test_the_floor_reaches_the_sandboxes_verdicts(exercise, in_process, sandbox, tmp_path):
    source = (ROOT / "tests" / "mistakes" / "mse" / "forgets_square.py") if exercise == "mse" \
        else SOLUTIONS / f"{exercise}.py"
    (tmp_path / f"{exercise}.py").write_text(source.read_text())
    sandboxed = grade(tmp_path, [exercise], sandbox=sandbox)
    floor = grade(tmp_path, [exercise], sandbox=in_process.InProcessProbes())
    assert _verdicts(floor) == _verdicts(sandboxed)
    assert floor.exercises[0].score == sandboxed.exercises[0].score
    assert (floor.exercises[0].score == floor.exercises[0].max_score) == (exercise == "tensors")
