"""The batch loop: plan (skip what is already graded), grade in parallel, record each result.

Work goes out a few tasks at a time (as many as the pool has workers), so that
when a local worker process dies only the students then in flight are in doubt.
A ``ProcessPoolExecutor`` then fails all of them at once; each is graded again
alone, in a fresh pool, and the one that kills its worker again is recorded as
"worker died". On Dask, the scheduler retries a task whose worker died and gives
up with ``KilledWorker``, which is recorded the same way.

The kit is hashed (``graders._kit``) before any student is read: its fingerprint
goes into every task (a worker with another kit refuses it) and every result's key
(a changed kit regrades). At the end of the run the kit is verified: a change
raises ``KitChangedDuringBatch`` once the results and the CSV are written.
"""

from __future__ import annotations

import hashlib
import sys
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graders._kit import KitChanged, kit_digest
from graders._variant import PUBLIC, Variant, course_secret, secret_folder
from graders.batch import _outputs
from graders.batch._discover import BatchError, Student, assignment_of, discover
from graders.batch._worker import ERROR, GRADED, Task, grade_task

Work = Callable[[Task], dict]


@dataclass
class BatchSummary:
    out: Path
    csv: Path
    exercises: tuple[str, ...]
    graded: list[str] = field(default_factory=list)  # graded in this run
    skipped: list[str] = field(default_factory=list)  # unchanged since their last result
    failed: dict[str, str] = field(default_factory=dict)  # student to status and message
    seconds: float = 0.0
    report: Path | None = None  # the class report (batch --report)

    @property
    def students(self) -> int:
        return len(self.graded) + len(self.skipped) + len(self.failed)


class KitChangedDuringBatch(KitChanged):
    """The kit's files changed while the batch ran; its results are written all the same,
    filed under the kit as it was when the batch started (``summary``: what was graded)."""

    def __init__(self, files: tuple[str, ...], summary: BatchSummary) -> None:
        super().__init__(files, after=True)
        self.summary = summary


def task_key(
    kit: str, exercises: tuple[str, ...], timeout: float | None, sources: dict[str, bytes],
    variant: str = PUBLIC,
) -> str:
    """What a result depends on: the kit, what is graded and how, the student's variant and
    files."""
    digest = hashlib.sha256(f"{kit}\n{','.join(exercises)}\n{timeout}\n".encode())
    if variant != PUBLIC:  # results filed before variants existed keep their keys
        digest.update(f"variant={variant}\n".encode())
    for exercise in exercises:
        source = sources.get(exercise)
        mark = hashlib.sha256(source).hexdigest() if source is not None else "missing"
        digest.update(f"{exercise}={mark}\n".encode())
    return digest.hexdigest()


def make_tasks(
    students: Sequence[Student],
    exercises: tuple[str, ...],
    hidden: tuple[str, ...],
    timeout: float | None,
    kit: str | None = None,
    secret: bytes = b"",
    html: bool = False,
) -> list[Task]:
    """One task per student; ``kit``: the kit's fingerprint (by default, the kit's now);
    ``secret``: the course secret, that draws each student's variant (none: public);
    ``html``: render each student's HTML report too."""
    kit = kit or kit_digest().fingerprint
    tasks = []
    for s in students:
        drawn = Variant(s.name, secret).drawn(exercises) if secret else None
        tasks.append(Task(
            s.name,
            {e: src for e, src in s.sources.items() if e in exercises},
            exercises,
            task_key(kit, exercises, timeout, s.sources, drawn.public_id if drawn else PUBLIC),
            kit,
            hidden,
            timeout,
            {e: n for e, n in s.notes.items() if e in exercises},
            drawn,
            html,
        ))
    return tasks


def course_of(root: Path) -> Path:
    """The course directory of a class folder: nbgrader's (holding ``submitted/``), else the
    folder that holds the class."""
    if (root / "submitted").is_dir():
        return root
    return root.parent


def _failure(task: Task, status: str, message: str) -> dict[str, Any]:
    return {
        "student": task.student,
        "key": task.key,
        "status": status,
        "message": message,
        "gradescope": None,
        "exercises": {},
    }


def _worker_died(task: Task, error: BaseException) -> dict[str, Any]:
    detail = str(error) or type(error).__name__
    return _failure(
        task,
        _outputs.WORKER_DIED,
        f"the worker process grading this student died ({detail}); run the batch again to retry",
    )


def _settle(future: Future, task: Task) -> dict[str, Any] | None:
    """The task's result, or None when its local pool broke (who broke it is not known)."""
    try:
        return future.result()
    except BrokenProcessPool:
        return None
    except Exception as error:  # recorded; the batch goes on
        if type(error).__name__ == "KilledWorker":  # Dask gave up after its retries
            return _worker_died(task, error)
        return _failure(task, ERROR, f"{type(error).__name__}: {error}")


def _collect(done, inflight: dict[Future, Task], record) -> list[Task]:
    """Record the finished futures' results; the tasks lost to a broken pool."""
    broken = []
    for future in sorted(done, key=lambda f: inflight[f].student):
        task = inflight.pop(future)
        result = _settle(future, task)
        if result is None:
            broken.append(task)
        else:
            record(task, result)
    return broken


def _fill(queue: deque, suspects: deque, inflight: dict[Future, Task], pool, work: Work) -> None:
    if suspects:  # in doubt after a broken pool: one at a time, so the next break is theirs
        if not inflight:
            task = suspects.popleft()
            inflight[pool.executor().submit(work, task)] = task
        return
    while queue and len(inflight) < pool.slots():
        task = queue.popleft()
        inflight[pool.executor().submit(work, task)] = task


def execute(tasks: Sequence[Task], pool, work: Work, record: Callable[[Task, dict], None]) -> None:
    """Grade every task on ``pool``, calling ``record`` as each result arrives."""
    queue, suspects = deque(tasks), deque()
    inflight: dict[Future, Task] = {}
    while queue or suspects or inflight:
        _fill(queue, suspects, inflight, pool, work)
        done, _ = wait(inflight, return_when=FIRST_COMPLETED)
        broken = _collect(done, inflight, record)
        if broken:  # everything else in flight fails with it: wait, then start afresh
            rest, _ = wait(inflight)
            broken += _collect(rest, inflight, record)
            pool.restart()
            if len(broken) == 1:
                record(broken[0], _worker_died(broken[0], BrokenProcessPool("it ended abruptly")))
            else:
                suspects.extend(sorted(broken, key=lambda t: t.student))


def _plan(out: Path, tasks: list[Task], force: bool) -> tuple[list[Task], dict[str, dict]]:
    """The tasks to grade, and the records of students whose last result still holds (and
    whose HTML report is there, when one is asked for)."""
    todo, kept = [], {}
    for task in tasks:
        last = None if force else _outputs.previous(out, task.student)
        drawn = not task.html or _outputs.report_path(out, task.student).is_file()
        if last and last.get("key") == task.key and last.get("status") == GRADED and drawn:
            kept[task.student] = last
        else:
            todo.append(task)
    return todo, kept


def _own_pool(scheduler: str | None, workers: int | None, hidden: tuple[str, ...], todo: int):
    from graders.batch._pools import DaskPool, LocalPool, default_workers

    if scheduler:
        return DaskPool(scheduler, hidden)
    return LocalPool(min(workers or default_workers(), max(todo, 1)), hidden)


def _progress(total: int, done: int, stream):
    from tqdm import tqdm

    return tqdm(
        total=total,
        initial=done,
        file=stream,
        disable=stream is None,
        unit="student",
        desc="grading",
        dynamic_ncols=True,
    )


def run_batch(
    submissions: Path | str,
    out: Path | str = "grades",
    exercises: Sequence[str] | None = None,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    assignment: str | None = None,
    timeout: float | None = None,
    force: bool = False,
    course: Path | str | None = None,
    report: Path | str | None = None,
    pool=None,
    work: Work = grade_task,
    progress=None,
) -> BatchSummary:
    """Grade every student under ``submissions``; results go to ``out`` as they arrive.

    ``pool``: a ``LocalPool`` or ``DaskPool`` to use (and leave open) instead of one of
    its own; ``work``: what a worker runs for each student (``grade_task``);
    ``progress``: a stream for the progress bar (none by default);
    ``course``: the course directory whose secret draws each student's variant (by default
    nbgrader's course, or the folder holding ``submissions``);
    ``report``: where to write the class report, with each student's HTML report in
    ``out/reports/`` (none by default: no HTML is rendered).
    Raises ``KitChangedDuringBatch`` when the kit changed during the run.
    """
    start = time.perf_counter()
    kit = kit_digest()  # before any student work is read
    batch = _prepare(submissions, out, exercises, assignment, course, report, timeout,
                     kit.fingerprint)
    out, names = batch.out, batch.names
    todo, records = _plan(out, batch.tasks, force)
    summary = BatchSummary(out, out / _outputs.CSV_NAME, names, skipped=sorted(records),
                           report=batch.report)
    bar = _progress(len(batch.tasks), len(records), progress)

    def record(task: Task, result: dict) -> None:
        records[task.student] = _outputs.write_result(out, task, result)
        if result["status"] == GRADED:
            summary.graded.append(task.student)
        else:
            summary.failed[task.student] = f"{result['status']}: {result['message']}"
        bar.update(1)

    own = pool is None and bool(todo)
    pool = _own_pool(scheduler, workers, (str(batch.root),), len(todo)) if own else pool
    interrupted = False
    try:
        if todo:
            execute(todo, pool, work, record)
    except KeyboardInterrupt:
        interrupted = True
        raise
    finally:
        if own:
            pool.close(cancel=interrupted)
        bar.close()
        ordered = [records[task.student] for task in batch.tasks if task.student in records]
        _outputs.write_csv(out, ordered, names)
        _outputs.write_gradebooks(out, ordered, names, batch.title)  # LMS imports
        summary.graded.sort()
        summary.seconds = time.perf_counter() - start
    if batch.report:  # not after an interruption: a class report of part of the class misleads
        _outputs.write_class_report(out, ordered, names, batch.report,
                                    f"{batch.title}: class report")
    changed = kit.changed(kit_digest(kit.root))
    if changed:
        raise KitChangedDuringBatch(changed, summary)
    return summary


@dataclass(frozen=True)
class _Class:
    """One batch's class: where it is and goes, what is graded, and one task per student."""

    root: Path
    out: Path
    names: tuple[str, ...]
    title: str  # the gradebooks' column and the class report's title
    report: Path | None
    tasks: list[Task]


def _prepare(submissions: Path | str, out: Path | str, exercises: Sequence[str] | None,
             assignment: str | None, course: Path | str | None, report: Path | str | None,
             timeout: float | None, kit: str) -> _Class:
    root, out = Path(submissions).resolve(), Path(out).resolve()
    if out.is_relative_to(root):
        raise BatchError(f"the output folder {out} must not be inside the submissions {root}")
    students, names = discover(root, exercises, assignment)
    course = Path(course).resolve() if course else course_of(root)
    secret = course_secret(course)
    report = _report_path(report, root)
    # No child sees the class, what earlier students earned (batch --out, the class report),
    # or the secret.
    hidden = (str(root), str(out), str(secret_folder(course)),
              *([str(report.parent)] if report else []))
    tasks = make_tasks(students, names, hidden, timeout, kit, secret, bool(report))
    # nbgrader's assignment, else the class's folder.
    return _Class(root, out, names, assignment_of(root, assignment) or root.name, report, tasks)


def _report_path(report: Path | str | None, root: Path) -> Path | None:
    """Where the class report goes (resolved); never among the submissions, which students
    write."""
    report = Path(report).resolve() if report else None
    if report and report.is_relative_to(root):
        raise BatchError(f"the class report {report} must not be inside the submissions {root}")
    return report


def print_summary(summary: BatchSummary, stream=sys.stdout) -> None:
    print(
        f"{summary.students} student(s), {', '.join(summary.exercises)}: graded "
        f"{len(summary.graded)}, unchanged since their last grading {len(summary.skipped)}, "
        f"not graded {len(summary.failed)} ({summary.seconds:.1f} s)",
        file=stream,
    )
    for student, why in sorted(summary.failed.items()):
        print(f"not graded: {student}: {why}", file=stream)
    print(
        f"grades: {summary.csv}\nGradescope results.json per student: "
        f"{summary.out / _outputs.RESULTS}\nLMS gradebook imports: "
        f"{summary.out / 'canvas.csv'}, {summary.out / 'moodle.csv'}",
        file=stream,
    )
    if summary.report:
        print(f"class report: {summary.report}\nstudents' reports: "
              f"{summary.out / _outputs.REPORTS}", file=stream)
