"""The grading pytest plugin: owns ``--submission``, the ``points`` and ``hidden`` markers,
the ``submission`` and ``variant`` fixtures, and the results.

Settings are resolved once, in ``pytest_configure``, and kept in ``config.stash``;
the fixtures and the report hook read them from there. Hidden checks run last, and not at
all where the reference is absent (the student kit) or not wanted (recording its key). Works both
under ``python -m graders grade`` (which passes a shared sandbox and collects
the results) and under plain ``pytest graders/test_mse.py --submission DIR``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from graders import _key
from graders._checks import CheckFailed, StudentError
from graders._figures import PER_EXERCISE, Figure
from graders._gates import GATED, BadMarker, Worth, base_name, blocking, read_marker, reason
from graders._layout import EXERCISES_DIR, OPTIMIZERS
from graders._report import FAILED, PASSED, SKIPPED, VISIBILITIES, VISIBLE, CheckResult
from graders._sandbox import Sandbox
from graders._submission import Submission
from graders._text import printable
from graders._variant import Drawn, Variant

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


@dataclass(eq=False)  # a pytest plugin object: pluggy needs it hashable
class GradingContext:
    """What one grading run shares: the sandbox, and the results it collects."""

    sandbox: Sandbox
    owns_sandbox: bool = False
    results: list[CheckResult] = field(default_factory=list)
    memo: dict = field(default_factory=dict)  # Submission's per-run memory (hangs, shared)
    progress: Callable[[str], None] | None = None  # told each exercise as grading reaches it
    current: str | None = None
    # The run has a meta-device check: the fork server warms the meta device (torch._dynamo,
    # seconds) before its first jail, so that no probe pays it inside its time limit.
    warm_meta: bool = False
    # Whose inputs the variant checks draw: a Variant, or a batch worker's Drawn seeds.
    variant: Variant | Drawn = field(default_factory=Variant)
    public_only: bool = False  # leave the hidden checks out (recording the answer key)
    hidden_points: dict = field(default_factory=dict)  # exercise -> points of checks left out
    # A failed check's report keeps one line, not pytest's traceback (see _brief_failures):
    # grade() reads only the hints; a developer running plain pytest keeps the tracebacks.
    brief_failures: bool = False
    # Pictures for the HTML report (graders._figures), per exercise, recorded by the checks
    # from values their probes brought back; plain bounded data, drawn only with --html.
    figures: dict = field(default_factory=dict)

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
    config.addinivalue_line("markers", "points(n, after=CORE_CHECKS): what a grader check is "
                            "worth, and the core checks that must pass before it is graded")
    config.addinivalue_line("markers", "hidden(visibility='after_published'): a check that "
                            "runs only where the reference is; students see its points only")
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


worth_key = pytest.StashKey[Worth]()
visibility_key = pytest.StashKey[str]()


def _visibility(item: pytest.Item) -> str:
    """``visible``, or a hidden check's Gradescope visibility (validated)."""
    marker = item.get_closest_marker("hidden")
    if marker is None:
        return VISIBLE
    if marker.args or set(marker.kwargs) - {"visibility"}:
        raise pytest.UsageError(f"{item.nodeid}: use @pytest.mark.hidden or "
                                "@pytest.mark.hidden(visibility=...)")
    visibility = marker.kwargs.get("visibility", "after_published")
    if visibility not in VISIBILITIES or visibility == VISIBLE:
        raise pytest.UsageError(f"{item.nodeid}: a hidden check's visibility is one of "
                                f"{', '.join(v for v in VISIBILITIES if v != VISIBLE)}")
    return visibility


def _leave_out_hidden(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Where the reference is not (the student kit) or not wanted (recording the key), hidden
    checks do not run; students still see what they are worth."""
    context = _context(config)
    if not (context.public_only or _key.current().kind == "replay"):
        return
    hidden = [item for item in items if item.stash.get(visibility_key, VISIBLE) != VISIBLE]
    for item in hidden:
        exercise = exercise_of(item)
        context.hidden_points[exercise] = (context.hidden_points.get(exercise, 0.0)
                                           + item.stash[worth_key].points)
    if hidden:
        config.hook.pytest_deselected(items=hidden)
        items[:] = [item for item in items if item not in hidden]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Validate every grader check's ``points`` marker; gated checks run after their core."""
    checks: dict[str, set[str]] = {}
    for item in items:  # every check the grader defines, whether or not this run selects it
        if exercise_of(item) and str(item.path) not in checks:
            checks[str(item.path)] = {name.removeprefix("test_") for name, value
                                      in vars(item.module).items()
                                      if name.startswith("test_") and callable(value)}
    for item in items:
        if not exercise_of(item):
            continue
        marker = item.get_closest_marker("points")
        if marker is None:
            raise pytest.UsageError(f"{item.nodeid}: every grader check needs @pytest.mark.points")
        core = tuple(getattr(item.module, "CORE", ()))
        try:
            item.stash[worth_key] = read_marker(marker.args, marker.kwargs,
                                                checks[str(item.path)], core)
        except BadMarker as error:
            raise pytest.UsageError(f"{item.nodeid}: {error}") from None
        item.stash[visibility_key] = _visibility(item)
    _leave_out_hidden(config, items)
    if _context(config).brief_failures:
        _brief_failures(items)
    depths = _gate_depths(items)
    # One exercise after another (gates never cross graders), its gated checks after their
    # core: progress moves on once, and each exercise's shared results are used together.
    files = {str(item.path): index for index, item in reversed(list(enumerate(items)))}
    # Hidden checks last: each probe's random state follows its place in the run, so that the
    # public checks see the same states where the hidden ones are left out (the student kit).
    items.sort(key=lambda item: (files[str(item.path)],
                                 item.stash.get(visibility_key, VISIBLE) != VISIBLE,
                                 depths[item.nodeid]))
    # Creating a torch.optim optimizer imports torch._dynamo too: warm before such exercises.
    _context(config).warm_meta = any(
        exercise_of(i) and ("meta" in i.name.lower() or exercise_of(i) in OPTIMIZERS)
        for i in items)


def _brief_failures(items: list[pytest.Item]) -> None:
    """Each check's failure report is its exception's one line. pytest's own re-reads and
    parses the source of every frame of the traceback: 25 ms a failed check, 0.5 s of
    grading a stub, and nothing reads it (the report is made of hints)."""
    def brief(excinfo: pytest.ExceptionInfo, *_: object, **__: object) -> str:
        return f"{excinfo.typename}: {excinfo.value}"

    for item in items:
        item.repr_failure = item._repr_failure_py = brief


@pytest.fixture
def submission(request: pytest.FixtureRequest) -> Submission:
    """The exercise under test, in the submission being graded."""
    config = request.config
    settings = config.stash[settings_key]
    context = _context(config)
    return Submission(context.sandbox, settings.submission, exercise_of(request.node),
                      settings.timeout, context.memo, warm_meta=context.warm_meta)


@pytest.fixture
def variant(request: pytest.FixtureRequest) -> int:
    """The seed of this exercise's variant checks: the student's own in the instructor's
    modes (``--student``), the public one otherwise. Only hidden checks may use it."""
    if _visibility(request.node) == VISIBLE:
        raise pytest.UsageError(f"{request.node.nodeid}: only a hidden check may draw its "
                                "inputs from the student's variant")
    return _context(request.config).variant.seed(exercise_of(request.node))


@pytest.fixture
def figure(request: pytest.FixtureRequest) -> Callable[[Figure], None]:
    """Record a picture for this exercise's HTML report: ``figure(LossCurves.of(...))``.
    Beyond ``PER_EXERCISE`` figures an exercise, later ones are dropped."""
    kept = _context(request.config).figures.setdefault(exercise_of(request.node), [])

    def record(picture: Figure) -> None:
        if not isinstance(picture, Figure):
            raise TypeError(f"not a report figure: {type(picture).__name__}")
        if len(kept) < PER_EXERCISE:
            kept.append(picture)

    return record


@pytest.fixture
def cuda(request: pytest.FixtureRequest) -> str:
    """The CUDA device; skips the check (worth 0 points) where there is none."""
    if not _context(request.config).sandbox.cuda_available():
        pytest.skip("CUDA is not available on this machine")
    return "cuda"


def _gate_depths(items: list[pytest.Item]) -> dict[str, int]:
    """Node id to 0 for an ungated check, else one more than the deepest check it waits
    for, so that a check gated on a check that is itself gated runs after it."""
    by_check: dict[tuple[str, str], list[pytest.Item]] = {}
    for item in items:
        by_check.setdefault((str(item.path), base_name(item.name.removeprefix("test_"))),
                            []).append(item)
    depths: dict[str, int] = {}

    def depth(item: pytest.Item, seen: tuple[str, ...]) -> int:
        if item.nodeid not in depths:
            after = item.stash[worth_key].after if worth_key in item.stash else ()
            if item.nodeid in seen:
                raise pytest.UsageError(f"{item.nodeid}: its after= gates form a cycle")
            waits_for = [other for name in after  # a core check left out of the run: none
                         for other in by_check.get((str(item.path), name), [])]
            depths[item.nodeid] = 1 + max((depth(other, (*seen, item.nodeid))
                                           for other in waits_for), default=-1)
        return depths[item.nodeid]

    for item in items:
        depth(item, ())
    return depths


gate_key = pytest.StashKey[str]()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    context = item.config.stash.get(context_key, None)
    exercise = exercise_of(item)
    if context is not None and context.progress and exercise and exercise != context.current:
        context.current = exercise
        context.progress(exercise)
    if exercise is None or not item.stash[worth_key].after:
        return
    results = {r.check: r.status for r in _context(item.config).results if r.exercise == exercise}
    blockers = blocking(item.name.removeprefix("test_"), item.stash[worth_key].after, results)
    if blockers:  # its core failed: do not even run it (and spend no time in the sandbox)
        item.stash[gate_key] = reason(exercise, blockers)
        pytest.skip(item.stash[gate_key])


def _hint(exercise: str, check: str, call: pytest.CallInfo) -> str:
    error = call.excinfo.value if call.excinfo else None
    if isinstance(error, (CheckFailed, StudentError)):
        text = error.hint
    elif isinstance(error, _key.InstructorOnly):  # a defect of the kit, never the student's
        text = (f"this check needs the reference, which only your instructor has ({error}); "
                "tell your instructor.")
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
    worth, seen = item.stash[worth_key].points, item.stash[visibility_key]
    check = item.name.removeprefix("test_")
    if report.passed:
        result = CheckResult(exercise, check, worth, worth, PASSED, visibility=seen)
    elif gate_key in item.stash:
        result = CheckResult(exercise, check, 0.0, worth, GATED,
                             f"{exercise} / {check}: {item.stash[gate_key]}", seen)
    else:
        status = SKIPPED if report.skipped else FAILED
        error = call.excinfo.value if call.excinfo else None
        mistake = printable(error.mistake) if isinstance(error, CheckFailed) else ""
        result = CheckResult(exercise, check, 0.0, worth, status, _hint(exercise, check, call),
                             seen, mistake)
    _context(item.config).results.append(result)
    return report
