"""Gradescope: the autograder zip, and what runs in it for every submission.

    python -m graders gradescope OUT.zip [--assignment NAME] [EXERCISE ...]

builds the zip (``_build.py``): ``setup.sh``, ``run_autograder``, the pinned CPU
requirements, the kit with its solutions and hidden checks, and a course secret of its
own. In Gradescope's container, ``run_autograder`` runs ``python -m graders.gradescope``
(``_run.py``), which collects the upload (``_upload.py``), grades it in the sandbox with
the student's variant and writes ``/autograder/results/results.json``.
See docs/gradescope.md.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["add_parser", "main"]


def add_parser(commands) -> None:
    from graders.nbgrader.release import DEFAULT_ASSIGNMENT

    gradescope = commands.add_parser(
        "gradescope", help="build Gradescope's autograder zip: setup.sh, run_autograder, the "
        "kit with its solutions and hidden checks, and a course secret of its own")
    gradescope.add_argument("out", metavar="OUT.zip", type=Path, help="the zip to write (new)")
    gradescope.add_argument("exercises", nargs="*", metavar="EXERCISE",
                            help="exercises the assignment grades (default: all)")
    gradescope.add_argument("--assignment", metavar="NAME", default=DEFAULT_ASSIGNMENT,
                            help="the assignment's name, recorded in every result")


def main(args: argparse.Namespace) -> int:
    from graders._layout import EXERCISES, in_this_kit, unknown_exercises
    from graders._student_kit import with_siblings
    from graders.gradescope._build import build

    unknown = unknown_exercises(args.exercises)
    if unknown:
        print(f"unknown exercise(s): {', '.join(unknown)}; choose from "
              f"{', '.join(in_this_kit())}", file=sys.stderr)
        return 2
    chosen = with_siblings(tuple(args.exercises or EXERCISES))
    try:
        zipped = build(args.out, args.assignment, chosen)
    except (FileExistsError, RuntimeError) as error:
        print(error, file=sys.stderr)
        return 2
    print(f"Gradescope autograder for {args.assignment} ({', '.join(chosen)}): {zipped}\n"
          "It holds the solutions, the hidden checks and a new course secret: upload it to "
          "Gradescope only, never where students can read it (docs/gradescope.md).")
    return 0
