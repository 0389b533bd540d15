"""The notebook side: what a test cell runs in the student's Jupyter kernel.

``check("mse", "numpy_value")`` rebuilds ``mse.py`` from the code the kernel
has run (for each function or class of the exercise, the latest input that
defines it, put back around the exercise's given code), grades it with the
kit's engine (student code runs in a sandboxed child, as with
``python -m graders grade``), prints the same hints, and returns the points
earned: nbgrader reads a test cell's numeric value as its partial credit.

This is the student's own feedback while they work. When they submit, ``python
-m graders autograde`` grades the solution cells of the submitted notebook in the
sandbox; no kernel runs then, and each test cell's output becomes what this
function would have printed and returned for that code (``results_text``).

Nothing here writes to stderr: nbgrader gives a test cell with any stderr
output zero points, so warnings are silenced and errors go to stdout.
"""

from __future__ import annotations

import atexit
import contextlib
import signal
import sys
import tempfile
import threading
import warnings
from pathlib import Path

from graders.nbgrader._source import exercise_source, latest_definitions

_state: dict = {"sandbox": None}  # one fork server per kernel: start_grader() or the first check


def start_grader() -> None:
    """Start the grading fork server now, in the background (it imports torch: seconds)."""
    _grading_sandbox()


def check(exercise: str, name: str) -> float:
    """Grade one check of ``exercise`` on the code this kernel has run; the points earned."""
    with _quiet():
        source = exercise_source(exercise)
        code = source.rebuild(latest_definitions(source.solution_names, _history()))
        results = _grade(exercise, name, code)
    if results is None:
        return 0.0
    earned = sum(result.points for result in results)
    worth = sum(result.max_points for result in results)
    _print_results(exercise, name, results, earned, worth)
    return float(round(earned, 6))


def _grade(exercise: str, name: str, code: str):
    """The check's results, graded in a worker thread so that an interrupt is prompt.

    A kernel interrupt (a time limit, the stop button) may land on any of the
    kernel's threads and then waits for the main thread's next bytecode: a wait
    on the sandbox would delay it by a whole probe's time limit. The main thread
    only waits on the worker, and on an interrupt ends the grading at once.
    """
    from graders._engine import grade

    sandbox = _grading_sandbox()
    outcome: dict = {}
    done = threading.Event()  # not Thread.join: an interrupted join can mark a live thread dead

    def work() -> None:
        try:
            outcome["report"] = grade(submission, [exercise], checks=[name], sandbox=sandbox)
        except BaseException as error:
            outcome["error"] = error
        finally:
            done.set()

    with tempfile.TemporaryDirectory(prefix="torchgrade-cell-") as work_dir:
        submission = Path(work_dir) / "submission"  # its parent holds nothing else
        submission.mkdir()
        (submission / f"{exercise}.py").write_text(code)
        threading.Thread(target=work, name="torchgrade-check", daemon=True).start()
        try:
            while not done.wait(0.1):
                pass
        except KeyboardInterrupt:
            _discard_sandbox(done)
            print(
                f"{exercise} / {name}: interrupted before the check finished (a time limit, "
                "or the stop button). An infinite loop? Run the cell again to retry."
            )
            raise
    if "error" in outcome:
        _discard_sandbox(None)
        print(f"{exercise} / {name}: the check could not run ({outcome['error']}).")
        return None
    return outcome["report"].exercise(exercise).checks


def _print_results(exercise: str, name: str, results, earned: float, worth: float) -> None:
    print(results_text(exercise, name, results, earned, worth), end="")


def results_text(exercise: str, name: str, results, earned: float, worth: float) -> str:
    """What a test cell prints: the check's points, then the hints of its failed cases."""
    from graders._report import ExerciseResult, GradeReport, render_hints

    report = GradeReport("", (ExerciseResult(exercise, tuple(results)),))
    hints = render_hints(report)
    verdict = "all checks passed" if not hints else "failed"
    text = f"{exercise} / {name}: {earned:g}/{worth:g} points, {verdict}\n"
    return text + (f"{hints}\n" if hints else "")


def _history() -> list[str]:
    """The inputs this kernel ran, oldest first (IPython's ``In``)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return []
    shell = get_ipython()
    if shell is None:
        return []
    inputs = shell.user_ns.get("In")
    if not isinstance(inputs, list):
        inputs = shell.history_manager.input_hist_parsed
    return [code for code in inputs if isinstance(code, str)]


@contextlib.contextmanager
def _quiet():
    """No warnings, and anything written to stderr goes to stdout instead."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with contextlib.redirect_stderr(sys.stdout):
            yield


def _grading_sandbox():
    if _state["sandbox"] is None:
        from graders._sandbox import Sandbox

        sandbox = Sandbox()
        with _sigint_ignored():
            sandbox.start()
        atexit.register(sandbox.close)
        _state["sandbox"] = sandbox
    return _state["sandbox"]


@contextlib.contextmanager
def _sigint_ignored():
    """Interrupting a kernel signals its whole process group: spare the fork server.

    It inherits the ignored SIGINT, so an interrupt never leaves it mid-probe
    with no one to end the probe; ``_discard_sandbox`` ends it instead.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _discard_sandbox(done: threading.Event | None) -> None:
    """End the fork server (and with it a running probe) and let the worker finish.

    The server is started afresh by the next check. The discarded sandbox refuses
    to restart, so the worker's remaining checks fail at once.
    """
    sandbox, _state["sandbox"] = _state["sandbox"], None
    if sandbox is None:
        return
    sandbox.start = _refuse  # an instance attribute: only this sandbox is affected
    process = getattr(sandbox, "_process", None)
    if process is not None:
        with contextlib.suppress(OSError):
            process.kill()  # the probe's child dies with its parent
    if done is not None:
        done.wait(timeout=30)
    with contextlib.suppress(Exception):
        sandbox.close()


def _refuse():
    from graders._sandbox import SandboxBroken

    raise SandboxBroken("grading was interrupted")
