"""The checks of an exercise and what each is worth, read by collecting its grader."""

from __future__ import annotations

import contextlib
import functools
import io

from graders._layout import GRADERS, grader_file


class _Collector:
    def __init__(self) -> None:
        self.points: dict[str, float] = {}
        self.hidden: set[str] = set()

    def pytest_collection_finish(self, session) -> None:
        for item in session.items:
            check = getattr(item, "originalname", item.name).removeprefix("test_")
            worth = float(item.get_closest_marker("points").args[0])
            self.points[check] = self.points.get(check, 0.0) + worth
            if item.get_closest_marker("hidden") is not None:
                self.hidden.add(check)




def check_points(exercise: str) -> dict[str, float]:
    """Check name (a parametrized check counts all its cases) to points, in grader order.

    The same collection as ``python -m graders grade``, so the totals agree; checks
    worth 0 points (CUDA) are included. ``hidden_checks`` names the hidden ones.
    """
    return _collect(exercise).points


def worth(exercise: str) -> float:
    """What ``exercise`` is worth: its checks' points, hidden checks included."""
    return sum(check_points(exercise).values())


def hidden_checks(exercise: str) -> frozenset[str]:
    """The checks of ``exercise`` that only the instructor's kit runs."""
    return frozenset(_collect(exercise).hidden)


@functools.cache
def _collect(exercise: str) -> _Collector:
    import pytest

    collector = _Collector()
    args = [
        str(grader_file(exercise)),
        "--collect-only",
        "--disable-plugin-autoload",  # the checks a grade collects: see graders._engine
        "-c",
        str(GRADERS / "pytest.ini"),
        "--rootdir",
        str(GRADERS),
        "-p",
        "no:terminal",
        "-p",
        "no:faulthandler",
    ]
    with contextlib.redirect_stdout(io.StringIO()) as captured:
        code = pytest.main(args, plugins=[collector])
    if code != pytest.ExitCode.OK or not collector.points:
        raise RuntimeError(
            f"could not collect the checks of {exercise} (pytest exit {int(code)}):"
            f"\n{captured.getvalue()[-2000:]}"
        )
    return collector
