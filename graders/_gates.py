"""Gated checks: a property earns its points only once the exercise's core behaviour is right.

A grader declares what a check is worth and, for a property (inputs left
unchanged, device or dtype, raising on bad input, laziness...), which core
checks must pass first::

    CORE = ("numpy_value", "torch_value")          # every grader names its core

    @pytest.mark.points(1, after="torch_value")    # or after=CORE
    def test_inputs_unchanged(submission, case): ...

A gated check runs after its core checks. It is graded on the same inputs
where it can be: ``inputs_unchanged[4x3-seed3]`` waits for
``torch_value[4x3-seed3]`` when that case exists, and for every case of
``torch_value`` otherwise. When one of them did not pass, the gated check is
not run: it scores 0 as "not graded until `mse / torch_value` passes", and
hints count it as no mistake of its own. A core check left out of the run (a
selection of checks) gates nothing.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

GATED = "gated"


class BadMarker(ValueError):
    """A ``points`` marker that does not say what a check is worth, or names no core check."""


@dataclass(frozen=True)
class Worth:
    """What a ``points`` marker declares: the points, and the core checks it waits for."""

    points: float
    after: tuple[str, ...] = ()


def read_marker(args: tuple, kwargs: dict, checks: set[str], core: tuple[str, ...]) -> Worth:
    """Validate ``@pytest.mark.points(n, after=...)`` against the checks of its grader."""
    if len(args) != 1 or set(kwargs) - {"after"}:
        raise BadMarker("use @pytest.mark.points(n) or @pytest.mark.points(n, after=CHECKS)")
    points = args[0]
    if isinstance(points, bool) or not isinstance(points, numbers.Real) or points < 0:
        raise BadMarker(f"points must be a number >= 0, not {points!r}")
    after = kwargs.get("after", ())
    after = (after,) if isinstance(after, str) else tuple(after)
    unknown = [name for name in after if name not in checks]
    if unknown:
        raise BadMarker(f"after= names no check of this grader: {', '.join(unknown)}")
    outside = [name for name in after if name not in core]
    if outside:
        raise BadMarker(f"after= must name core checks (the grader's CORE): {', '.join(outside)}")
    return Worth(float(points), after)


def base_name(check: str) -> str:
    """``torch_value[4x3-seed3]`` is a case of ``torch_value``."""
    return check.split("[", 1)[0]


def case_id(check: str) -> str:
    return check.partition("[")[2].removesuffix("]")


def blocking(check: str, after: tuple[str, ...], results: dict[str, str]) -> list[str]:
    """The core checks that keep ``check`` from being graded: those run that did not pass.

    ``results`` maps every check run so far (with its case) to its status.
    """
    case = case_id(check)
    blockers = []
    for core in after:
        cases = {name: status for name, status in results.items() if base_name(name) == core}
        same = {name: status for name, status in cases.items() if case and case_id(name) == case}
        relevant = same or cases
        if any(status != "passed" for status in relevant.values()):
            blockers.append(core)
    return blockers


def reason(exercise: str, blockers: list[str]) -> str:
    names = " and ".join(f"`{exercise} / {name}`" for name in blockers)
    return f"not graded until {names} pass{'es' if len(blockers) == 1 else ''}"
