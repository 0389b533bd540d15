"""exercises/ is generated from solutions/ and must stay in sync."""

import pytest

from graders._stubs import MarkerError, make_stub, stale_stubs

SOLUTION = '''"""Doc."""
import torch


def f(x):
    """Keep me."""
    y = 1
    ### BEGIN SOLUTION
    return x + y
    ### END SOLUTION


class Model:
    def forward(self, x):
        ### BEGIN SOLUTION
        return x
        ### END SOLUTION
'''


def test_exercises_match_solutions():
    assert stale_stubs() == [], "run `python -m graders stubs` and commit exercises/"


def test_regions_become_not_implemented_and_the_rest_stays():
    stub = make_stub(SOLUTION)
    assert "return x + y" not in stub
    assert "return x\n" not in stub
    assert stub.count("raise NotImplementedError") == 2
    assert '"""Keep me."""' in stub
    assert "y = 1" in stub
    assert "import torch" in stub
    assert "        raise NotImplementedError" in stub  # method body indentation kept
    namespace = {}
    exec(compile(stub, "stub", "exec"), namespace)  # the stub still imports
    with pytest.raises(NotImplementedError):
        namespace["f"](1)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("def f():\n    ### BEGIN SOLUTION\n    pass\n", "never closed"),
        ("def f():\n    pass\n    ### END SOLUTION\n", "without BEGIN"),
        ("### BEGIN SOLUTION\nx = 1\n### END SOLUTION\n", "inside a function"),
        ("def f():\n    ### BEGIN SOLUTION\n    ### BEGIN SOLUTION\n", "inside a solution"),
    ],
)
def test_bad_markers_are_reported(source, message):
    with pytest.raises(MarkerError, match=message):
        make_stub(source)
