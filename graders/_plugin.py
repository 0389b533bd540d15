"""The grading pytest plugin: owns ``--submission``, the ``points`` marker and the results.

Settings are resolved once, in ``pytest_configure``, and kept in ``config.stash``;
the ``submission`` fixture and the report hook read them from there. Works both
under ``python -m graders grade`` (which passes a shared sandbox and collects
the results) and under plain ``pytest graders/test_mse.py --submission DIR``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from graders._checks import CheckFailed, StudentError
from graders._layout import EXERCISES_DIR
from graders._report import FAILED, PASSED, SKIPPED, CheckResult
from graders._sandbox import Sandbox
from graders._submission import Submission
from graders._text import printable

DEFAULT_TIMEOUT = 10.0


@dataclass(frozen=True)
class GradingSettings:
    submission: Path
    timeout: float

    @classmethod
    def resolve(cls, config: pytest.Config) -> GradingSettings:
        directory = config.getoption("submission") or EXERCISES_DIR
        timeout = config.getoption("probe_timeout") or float(config.getini("probe_timeout"))
        return cls(Path(directory).resolve(), timeout)


@dataclass
class GradingContext:
    """What one grading run shares: the sandbox, and the results it collects."""

    sandbox: Sandbox
    owns_sandbox: bool = False
    results: list[CheckResult] = field(default_factory=list)
    load_errors: dict = field(default_factory=dict)

    def pytest_configure(self, config: pytest.Config) -> None:
        config.stash[context_key] = self


settings_key = pytest.StashKey[GradingSettings]()
context_key = pytest.StashKey[GradingContext]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("torchgrade", "grading PyTorch exercises")
    group.addoption("--submission", metavar="DIR", default=None,
                    help="directory holding the exercise files to grade (default: exercises/)")
    group.addoption("--probe-timeout", type=float, default=None, metavar="SECONDS",
                    help="time limit for each call into student code")
    parser.addini("probe_timeout", "time limit for each call into student code",
                  default=str(DEFAULT_TIMEOUT))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "points(n): what a grader check is worth")
    config.stash[settings_key] = GradingSettings.resolve(config)


def _context(config: pytest.Config) -> GradingContext:
    if context_key not in config.stash:  # plain pytest run: own a sandbox
        config.stash[context_key] = GradingContext(Sandbox(), owns_sandbox=True)
    return config.stash[context_key]


def pytest_unconfigure(config: pytest.Config) -> None:
    context = config.stash.get(context_key, None)
    if context is not None and context.owns_sandbox:
        context.sandbox.close()


def exercise_of(item: pytest.Item) -> str | None:
    """``graders/test_mse.py`` grades the exercise ``mse``."""
    stem = Path(str(item.path)).stem
    return stem.removeprefix("test_") if item.path.parent.name == "graders" else None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if exercise_of(item) and item.get_closest_marker("points") is None:
            raise pytest.UsageError(f"{item.nodeid}: every grader check needs @pytest.mark.points")


@pytest.fixture
def submission(request: pytest.FixtureRequest) -> Submission:
    """The exercise under test, in the submission being graded."""
    config = request.config
    settings = config.stash[settings_key]
    context = _context(config)
    return Submission(context.sandbox, settings.submission, exercise_of(request.node),
                      settings.timeout, context.load_errors)


@pytest.fixture
def cuda(request: pytest.FixtureRequest) -> str:
    """The CUDA device; skips the check (worth 0 points) where there is none."""
    if not _context(request.config).sandbox.cuda_available():
        pytest.skip("CUDA is not available on this machine")
    return "cuda"


def _hint(exercise: str, check: str, call: pytest.CallInfo) -> str:
    error = call.excinfo.value if call.excinfo else None
    if isinstance(error, (CheckFailed, StudentError)):
        text = error.hint
    elif call.excinfo is not None and call.excinfo.errisinstance(pytest.skip.Exception):
        text = f"skipped: {error.msg}"
    else:
        text = (f"could not check what your code returned ({type(error).__name__}: {error}). "
                "Compare your return types with the docstring.")
    # Hints quote the student's own messages and values: clean and cap them in one place.
    return printable(f"{exercise} / {check}: {text}")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    exercise = exercise_of(item)
    decisive = call.when == "call" or (call.when == "setup" and not report.passed)
    if exercise is None or not decisive:
        return report
    worth = float(item.get_closest_marker("points").args[0])
    check = item.name.removeprefix("test_")
    if report.passed:
        result = CheckResult(exercise, check, worth, worth, PASSED)
    else:
        status = SKIPPED if report.skipped else FAILED
        result = CheckResult(exercise, check, 0.0, worth, status, _hint(exercise, check, call))
    _context(item.config).results.append(result)
    return report
