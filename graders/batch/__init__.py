"""``python -m graders batch``: grade a whole class, in parallel, resumably.

    python -m graders batch SUBMISSIONS [EXERCISE ...] [--out DIR] [--workers N]
                                        [--scheduler tcp://HOST:PORT] [--report FILE]

Each student is graded as ``python -m graders grade`` would grade them, in a worker
process that keeps its own sandbox; ``--scheduler`` sends the same work to the
workers of an existing Dask cluster. Results go to ``DIR/results/<student>.json``
(Gradescope's results.json) as they arrive, and ``DIR/grades.csv`` sums them up;
``--report FILE`` adds each student's HTML report (``DIR/reports/<student>.html``) and the
class report. See docs/batch.md.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from graders.batch._discover import BatchError, Student, discover
from graders.batch._outputs import CSV_NAME, RESULTS
from graders.batch._pools import DaskPool, LocalPool
from graders.batch._run import BatchSummary, KitChangedDuringBatch, print_summary, run_batch
from graders.batch._worker import Task, grade_task

KIT_CHANGED = 3  # exit status: the kit's files changed during the run (as autograde's)

__all__ = [
    "CSV_NAME",
    "KIT_CHANGED",
    "RESULTS",
    "BatchError",
    "BatchSummary",
    "DaskPool",
    "KitChangedDuringBatch",
    "LocalPool",
    "Student",
    "Task",
    "discover",
    "grade_task",
    "main",
    "print_summary",
    "run_batch",
]


def add_parser(commands) -> None:
    batch = commands.add_parser(
        "batch", help="grade a class: one folder per student (or nbgrader's submitted/)"
    )
    batch.add_argument(
        "submissions",
        metavar="SUBMISSIONS",
        help="folder with one sub-folder per student, or an nbgrader course",
    )
    batch.add_argument(
        "exercises",
        nargs="*",
        metavar="EXERCISE",
        help="exercises to grade (default: every one any student submitted)",
    )
    batch.add_argument(
        "--out",
        metavar="DIR",
        default="grades",
        help="where grades.csv and results/ go (default: ./grades)",
    )
    batch.add_argument(
        "--workers",
        metavar="N",
        type=int,
        help="worker processes on this machine (default: one per core)",
    )
    batch.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="grade on an existing Dask cluster (tcp://HOST:PORT) instead",
    )
    batch.add_argument(
        "--assignment",
        metavar="NAME",
        help="the nbgrader assignment, where students' folders hold several",
    )
    batch.add_argument(
        "--timeout",
        metavar="SECONDS",
        type=float,
        help="time limit of each call into student code (default: 10)",
    )
    batch.add_argument(
        "--force",
        action="store_true",
        help="grade every student again, even those unchanged since last time",
    )
    batch.add_argument(
        "--course",
        metavar="DIR",
        type=Path,
        help="the course directory, whose .torchgrade/secret draws each student's variant "
        "checks (made on first use; default: nbgrader's course, or the folder holding "
        "SUBMISSIONS)",
    )
    batch.add_argument(
        "--report",
        metavar="FILE",
        type=Path,
        help="also write the class report (HTML) to FILE, and each student's HTML report "
        "to DIR/reports/",
    )


def main(args: argparse.Namespace) -> int:
    """Exit 0 when every student was graded (whatever their scores), 1 otherwise; 3 when
    the kit changed during the run."""
    if args.workers is not None and args.workers < 1:
        print("--workers must be at least 1", file=sys.stderr)
        return 2
    try:
        summary = run_batch(
            args.submissions,
            args.out,
            args.exercises,
            workers=args.workers,
            scheduler=args.scheduler,
            assignment=args.assignment,
            timeout=args.timeout,
            force=args.force,
            course=getattr(args, "course", None),
            report=getattr(args, "report", None),
            progress=sys.stderr,
        )
    except BatchError as error:
        print(error, file=sys.stderr)
        return 2
    except KitChangedDuringBatch as error:
        print_summary(error.summary)
        print(
            f"\nbatch: {error}\nThis run's results are written, filed under the kit as it "
            "was when the batch started: once the kit is restored, run the batch again with "
            "--force to regrade them.",
            file=sys.stderr,
        )
        return KIT_CHANGED
    except KeyboardInterrupt:
        print(
            "interrupted: the results written so far are kept; run the same command "
            "again to grade the rest",
            file=sys.stderr,
        )
        return 130
    except (OSError, TimeoutError) as error:  # e.g. no scheduler at that address
        print(f"could not run the batch: {error}", file=sys.stderr)
        return 1
    print_summary(summary)
    return 1 if summary.failed else 0
