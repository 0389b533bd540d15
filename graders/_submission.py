"""The grader's handle on one exercise of one submission: every call runs in a child."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

from graders._checks import StudentError
from graders._child import PACKAGE
from graders._sandbox import Sandbox
from graders._wire import Crashed, Missing, Raised, Returned

CALL = "graders._child:call"
T = TypeVar("T")


def _probe_name(probe: str | Callable) -> str:
    if isinstance(probe, str):
        return probe
    return f"{probe.__module__}:{probe.__qualname__}"


def is_stub(outcome: Any) -> bool:
    """The stub's bare ``raise NotImplementedError`` (torch raises it with a message)."""
    return isinstance(outcome, Raised) and outcome.type == "NotImplementedError" and (
        not outcome.message)


def answered(outcome: Any) -> bool:
    """The student's code ran and raised an ordinary exception (not a stub, not an exit)."""
    return isinstance(outcome, Raised) and not is_stub(outcome) and outcome.type != "SystemExit"


def explain(outcome: Any, exercise: str) -> str:
    """The hint for a call that did not return normally."""
    if isinstance(outcome, Raised):
        where = f" ({outcome.where})" if outcome.where else ""
        if is_stub(outcome):
            return (f"not implemented yet: {exercise}.py still raises NotImplementedError{where}. "
                    "Replace the `raise NotImplementedError` with your code.")
        if outcome.type == "SystemExit":
            return (f"your code called sys.exit({outcome.message}){where}; "
                    "return a value instead of exiting.")
        return f"your code raised {outcome.type}: {outcome.message.rstrip('.')}{where}."
    if isinstance(outcome, Missing):
        return f"{outcome.message}; check the name against the exercise's docstring."
    if isinstance(outcome, Crashed):
        advice = {
            "timed out": "look for an infinite loop, or a loop over far too many items.",
            "killed by signal": "the process died (out of memory, or a crash in native code).",
            "too large": "return what the docstring asks for (a tensor or a few numbers), "
                         "not a huge or deeply nested container.",
            "outside the grading protocol": "do not write to the grader's files or descriptors.",
        }
        tip = next((text for key, text in advice.items() if key in outcome.reason),
                   "return a value instead of exiting.")
        return f"your code {outcome.reason}: {tip}"
    return f"unexpected result {outcome!r}"


class Submission:
    """Runs grader probes against ``<directory>/<exercise>.py`` in sandboxed children."""

    def __init__(self, sandbox: Sandbox, directory: Path, exercise: str, timeout: float,
                 memo: dict, *, warm_meta: bool = False) -> None:
        self.directory = Path(directory)
        self.exercise = exercise
        self._sandbox = sandbox
        self._timeout = timeout
        # What all checks of one grading run share: load errors, hangs, shared results.
        self._memo = memo
        self._warm_meta = warm_meta  # the run has meta checks: warm it before the first jail

    @property
    def path(self) -> Path:
        return self.directory / f"{self.exercise}.py"

    def outcome(self, probe: str | Callable, *args: Any, timeout: float | None = None,
                **kwargs: Any) -> Returned | Raised | Missing | Crashed:
        """Run ``probe(module, *args, **kwargs)`` in a child; the raw outcome.

        A hang costs once: after a call timed out, later checks making the same call
        are not graded (they would only wait out the same limit again).
        """
        self._ensure_loadable()
        name = _probe_name(probe)
        what = f"`{args[0]}`" if name == CALL and args else f"the code under {name.split(':')[-1]}"
        hung = ("hung", str(self.directory), self.exercise, what)
        if hung in self._memo:
            raise StudentError(f"not graded: {what} timed out earlier ({self._memo[hung]}); "
                               "fix that hang first.")
        result = self._sandbox.run(self.directory, self.exercise, name, args, kwargs,
                                   timeout or self._timeout, needs_meta=self._warm_meta)
        if isinstance(result, Crashed) and result.reason.startswith("timed out after "):
            self._memo[hung] = result.reason.removeprefix("timed out after ")
            result = Crashed(f"{result.reason} in {what}", result.output)
        return result

    def probe(self, probe: str | Callable, *args: Any, timeout: float | None = None,
              diagnose: Callable[[Raised], str] | None = None, **kwargs: Any) -> Any:
        """Run a probe and return its value; anything else fails the check with a hint.

        ``diagnose(raised)`` may add the likely mistake behind an exception the
        student's code raised (e.g. "to_device does not handle dicts").
        """
        result = self.outcome(probe, *args, timeout=timeout, **kwargs)
        if isinstance(result, Returned):
            return result.value
        hint = explain(result, self.exercise)
        if diagnose is not None and answered(result):
            hint = f"{hint} {diagnose(result)}".strip()
        raise StudentError(hint)

    def call(self, name: str, *args: Any, timeout: float | None = None,
             diagnose: Callable[[Raised], str] | None = None, **kwargs: Any) -> Any:
        """Call ``<exercise>.<name>(*args, **kwargs)`` in a child and return the result."""
        return self.probe(CALL, name, *args, timeout=timeout,
                          diagnose=diagnose, **kwargs)

    def attempt(self, name: str, *args: Any, timeout: float | None = None,
                **kwargs: Any) -> Returned | Raised:
        """Like ``call``, for checks that expect an exception: what happened.

        A stub's NotImplementedError, a crash or a missing name still fail the
        check with their hint; any other exception comes back as ``Raised``.
        """
        result = self.outcome(CALL, name, *args, timeout=timeout, **kwargs)
        if isinstance(result, Returned) or answered(result):
            return result
        raise StudentError(explain(result, self.exercise))

    def explain(self, outcome: Any) -> str:
        """The hint for one of this exercise's calls that did not return normally."""
        return explain(outcome, self.exercise)

    @property
    def package(self) -> str:
        """The package the child imports the submission's files under (``submission.net``)."""
        return PACKAGE

    def shared(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()`` once per grading run; later checks asking for ``key`` get its value.

        For a probe whose result several checks read (a training run, a whole pipeline).
        A ``StudentError`` is remembered too: every check that needs the result fails with
        the same hint, and the student's code is not run again.
        """
        slot = ("shared", str(self.directory), self.exercise, key)
        if slot not in self._memo:
            try:
                self._memo[slot] = (True, compute())
            except StudentError as error:
                self._memo[slot] = (False, error.hint)
        ok, value = self._memo[slot]
        if not ok:
            raise StudentError(value)
        return value

    def _ensure_loadable(self) -> None:
        key = (str(self.directory), self.exercise)
        if key not in self._memo:
            self._memo[key] = self._load_error()
        if self._memo[key]:
            raise StudentError(self._memo[key])

    def _load_error(self) -> str:
        """Why the file cannot be graded at all, or ''. Checked once per exercise."""
        if not self.path.is_file():
            return f"{self.exercise}.py not found in {self.directory}."
        try:
            compile(self.path.read_bytes(), str(self.path), "exec")
        except SyntaxError as error:
            return (f"{self.exercise}.py has a syntax error on line {error.lineno}: "
                    f"{error.msg}. Fix it and grade again.")
        except ValueError as error:  # e.g. null bytes
            return f"{self.exercise}.py cannot be read as Python: {error}."
        result = self._sandbox.run(self.directory, self.exercise, "graders._child:imports",
                                   (), {}, self._timeout, needs_meta=self._warm_meta)
        if isinstance(result, Returned):
            return ""
        return f"{self.exercise}.py could not be imported: {explain(result, self.exercise)}"
