"""What runs in a worker process: one sandbox per process, one student at a time.

The same functions serve a local process pool (``start`` is its initializer) and a
Dask worker (started by ``graders.batch._dask.SandboxPlugin``, or on first use).
A task carries the student's files as bytes, so workers need no shared file system:
each student is written to a fresh folder of this process, graded, and removed.
"""

from __future__ import annotations

import atexit
import re
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graders._kit import kit_digest
from graders._variant import Drawn

GRADED, ERROR = "graded", "error"


@dataclass(frozen=True)
class Task:
    student: str
    sources: dict[str, bytes]  # exercise to module, as it is graded
    exercises: tuple[str, ...]
    key: str  # what the result is filed under: kit, exercises, time limit and files
    kit: str  # the kit's fingerprint (graders._kit) in the process that made the task
    hidden: tuple[str, ...] = ()  # folders children must not see (the class's submissions)
    timeout: float | None = None
    notes: dict[str, str] = field(default_factory=dict)
    variant: Drawn | None = None  # the student's variant seeds (never the course secret)
    html: bool = False  # also render the student's HTML report (batch --report)


class _State:
    """This process's sandbox and the folder students are written to (under ``root``)."""

    def __init__(self, hidden: tuple[str, ...], root: str | None) -> None:
        from graders._layout import ALL_WARM_UPS
        from graders._sandbox import Sandbox

        self.staging = tempfile.mkdtemp(prefix="torchgrade-batch-", dir=root)
        self.hidden = tuple(hidden)
        self.sandbox = Sandbox(hidden=(*self.hidden, root or self.staging),
                               warm=ALL_WARM_UPS).start()

    def covers(self, hidden: tuple[str, ...]) -> bool:
        mine = [Path(path) for path in self.hidden]
        return all(any(Path(path).is_relative_to(own) for own in mine) for path in hidden)

    def close(self) -> None:
        try:
            self.sandbox.close()
        finally:
            shutil.rmtree(self.staging, ignore_errors=True)


# This process's sandbox, the folder its students go in (a local pool's, removed by the
# pool, or a folder of its own), and the kit it grades with.
_held: dict[str, Any] = {"state": None, "root": None, "kit": None}
_lock = threading.Lock()  # grading (pytest) is not thread-safe: one student at a time


def start(hidden: tuple[str, ...] = (), root: str | None = None, *, wait: bool = True) -> None:
    """Start this process's sandbox now (its fork server imports torch meanwhile).

    With ``wait=False`` (from an event loop), do nothing while a student is being graded.
    """
    process_kit()
    _held["root"] = root
    if _lock.acquire(blocking=wait):
        try:
            _ensure(hidden)
        finally:
            _lock.release()


def stop(*, wait: bool = True) -> None:
    """Close this process's sandbox (a Dask plugin's teardown, or at exit)."""
    if _lock.acquire(blocking=wait):
        try:
            _drop()
        finally:
            _lock.release()


def _drop() -> None:
    state, _held["state"] = _held["state"], None
    if state is not None:
        state.close()


def _ensure(hidden: tuple[str, ...]) -> _State:
    state = _held["state"]
    if state is None:
        state = _held["state"] = _State(hidden, _held["root"])
    elif not state.covers(hidden):  # another class or --out: hide it too, from the next jail on
        state.hidden += tuple(hidden)
        state.sandbox.hide(hidden)
    return state


atexit.register(stop)


def process_kit() -> str:
    """The fingerprint of the kit this process grades with (``graders._kit``): as it was
    on disk when the process first graded."""
    if _held["kit"] is None:
        _held["kit"] = kit_digest().fingerprint
    return _held["kit"]


def grade_task(task: Task) -> dict[str, Any]:
    """Grade one student; a plain dict (``status`` is "graded" or "error")."""
    if task.kit != process_kit():
        return _error(
            task,
            f"this worker grades with another kit (fingerprint {process_kit()}) than the "
            f"batch's ({task.kit}): install the same torchgrade, the same way, everywhere, "
            "and restart the workers after the kit changes",
        )
    with _lock:
        return _grade_locked(task)


def _grade_locked(task: Task) -> dict[str, Any]:
    from graders._engine import GradingError
    from graders._sandbox import SandboxBroken

    for attempt in (1, 2):  # a fork server that died is started again, once
        state = _ensure(task.hidden)
        folder = Path(state.staging) / task.student
        try:
            report = _grade_in(folder, task, state.sandbox)
        except SandboxBroken as error:
            _drop()
            if attempt == 2:
                return _error(task, f"the grading fork server stopped twice: {error}")
        except GradingError as error:
            return _error(task, str(error))
        else:
            return _result(task, report, folder)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    raise AssertionError("unreachable")


def _grade_in(folder: Path, task: Task, sandbox):
    from graders._engine import grade

    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for exercise, source in task.sources.items():
        (folder / f"{exercise}.py").write_bytes(source)
    return grade(folder, task.exercises, sandbox=sandbox, timeout=task.timeout,
                 variant=task.variant)


# What differs from one run or worker to the next never reaches a result: the
# student's folder (named after the student), the sandbox's scratch folders, the
# fork server's pid in its cgroup's name.
_CGROUP = re.compile(r"(/sys/fs/cgroup\S*/torchgrade-)\d+")
_SCRATCH = re.compile(r"/[^\s'\"]*/torchgrade-[a-z0-9_]{8}(/probe-\d+)?")


def scrub(value: Any, folder: str, student: str) -> Any:
    """``value`` (a result) with everything that depends on where it was graded made constant."""
    if isinstance(value, str):
        value = _CGROUP.sub(r"\1<pid>", value.replace(folder, student))
        return _SCRATCH.sub("<sandbox>", value)
    if isinstance(value, dict):
        return {key: scrub(item, folder, student) for key, item in value.items()}
    if isinstance(value, list):
        return [scrub(item, folder, student) for item in value]
    return value


def _result(task: Task, report, folder: Path) -> dict[str, Any]:
    scores = {result.name: [result.score, result.max_score] for result in report.exercises}
    # What the class report counts: each check's own status (Gradescope's has only passed
    # and failed) and the likely mistake its hint names.
    checks = [
        {"exercise": c.exercise, "check": c.check, "status": c.status, "mistake": c.mistake}
        for result in report.exercises
        for c in result.checks
    ]
    return {
        "student": task.student,
        "key": task.key,
        "status": GRADED,
        "message": "",
        "gradescope": scrub(report.to_gradescope(), str(folder), task.student),
        "exercises": scores,
        "checks": scrub(checks, str(folder), task.student),
        "html": scrub(_html(task, report), str(folder), task.student) if task.html else None,
    }


def _html(task: Task, report) -> str:
    """The student's own HTML report, drawn here: its figures exist only in this process."""
    from graders._html import student_report

    return student_report(report, student=task.student)


def _error(task: Task, message: str) -> dict[str, Any]:
    return {
        "student": task.student,
        "key": task.key,
        "status": ERROR,
        "message": message,
        "gradescope": None,
        "exercises": {},
    }
