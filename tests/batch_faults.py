"""Work functions for tests/test_batch.py that fail the way real workers can.

They run in the batch's worker processes (spawned: they import this module by
name, from the ``tests`` folder on ``sys.path``).
"""

from __future__ import annotations

import os

from graders.batch import Task, grade_task

KILLER = "kills-worker"


def grade_or_die(task: Task) -> dict:
    """Grade the student, except that the worker process dies for the KILLER student."""
    if task.student == KILLER:
        os._exit(1)
    return grade_task(task)
