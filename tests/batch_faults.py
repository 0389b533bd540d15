"""Work functions for tests/test_batch.py that fail the way real workers can.

They run in the batch's worker processes (spawned: they import this module by
name, from the ``tests`` folder on ``sys.path``). ``ThreadPool`` runs a fake ``work`` in a
thread of the test's own process instead (no torch, no worker process).
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

from graders.batch import Task, grade_task

KILLER = "kills-worker"


def grade_or_die(task: Task) -> dict:
    """Grade the student, except that the worker process dies for the KILLER student."""
    if task.student == KILLER:
        os._exit(1)
    return grade_task(task)


class ThreadPool:
    """A pool that grades in a thread of this process (for a fake ``work``: no torch)."""

    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(1)

    def executor(self) -> ThreadPoolExecutor:
        return self._executor

    def slots(self) -> int:
        return 1
