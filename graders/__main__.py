"""``python -m graders``: grade a submission, validate the kit, regenerate the stubs;
grade a whole class (batch); release and autograde notebooks through nbgrader."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from graders._layout import EXERCISES, in_this_kit, unknown_exercises


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m graders", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    grade = commands.add_parser("grade", help="grade exercises and print a score per exercise")
    grade.add_argument(
        "exercises",
        nargs="*",
        metavar="EXERCISE",
        help=f"exercises to grade (default: all of {', '.join(in_this_kit())})",
    )
    grade.add_argument(
        "--submission",
        metavar="DIR",
        type=Path,
        help="directory with the exercise files (default: exercises/)",
    )
    grade.add_argument(
        "--json", metavar="FILE", type=Path, help="also write Gradescope's results.json to FILE"
    )
    grade.add_argument(
        "--html", metavar="FILE", type=Path,
        help="also write the report as one self-contained HTML page to FILE (opens offline)",
    )
    grade.add_argument(
        "--student", metavar="ID",
        help="instructors: grade as this student's run (their variant checks' inputs, drawn "
        "from the course secret), e.g. to reproduce a batch or autograde result",
    )
    grade.add_argument(
        "--course", metavar="DIR", type=Path,
        help="the course directory, whose .torchgrade/secret draws the students' variants "
        "(made on first use; default: the current directory)",
    )
    grade.add_argument(
        "--lanes", metavar="N", type=_lanes_count,
        help="grade on N cores at once, each exercise on one (default: this machine's cores, "
        "at most 4; 1 grades one exercise after another)",
    )
    commands.add_parser("validate", help="solutions must score full marks, stubs zero")
    kit = commands.add_parser(
        "student-kit", help="write the kit students get: stubs, public checks and the answer "
        "key, no solutions and no hidden checks; and a wheel of it")
    kit.add_argument("out", metavar="OUT", type=Path, help="a new folder for the kit")
    kit.add_argument("exercises", nargs="*", metavar="EXERCISE",
                     help="exercises in the kit (default: all)")
    from graders.nbgrader.release import DEFAULT_ASSIGNMENT

    kit.add_argument("--assignment", metavar="NAME", default=DEFAULT_ASSIGNMENT,
                     help="the assignment's name, in the README and the wheel's version")
    stubs = commands.add_parser("stubs", help="regenerate exercises/ from solutions/")
    stubs.add_argument(
        "--check", action="store_true", help="only report whether exercises/ is up to date"
    )
    from graders.batch import add_parser as add_batch_parser

    add_batch_parser(commands)
    _nbgrader_commands(commands)
    _gradescope_command(commands)
    _classroom_command(commands)
    return parser


def _gradescope_command(commands) -> None:
    from graders.gradescope import add_parser

    add_parser(commands)


def _classroom_command(commands) -> None:
    from graders.nbgrader.release import DEFAULT_ASSIGNMENT

    classroom = commands.add_parser(
        "classroom", help="write a GitHub Classroom template repository: the student kit, a "
        "workflow that grades every push with the kit's own command and reports the points, "
        "and a README for students")
    classroom.add_argument("out", metavar="OUT", type=Path, help="a new folder for the "
                           "repository")
    classroom.add_argument("exercises", nargs="*", metavar="EXERCISE",
                           help="exercises in the assignment (default: all)")
    classroom.add_argument("--assignment", metavar="NAME", default=DEFAULT_ASSIGNMENT,
                           help="the assignment's name, in the README")


def _nbgrader_commands(commands) -> None:
    from graders.nbgrader.release import CELL_TIMEOUT, DEFAULT_ASSIGNMENT

    course = {
        "metavar": "DIR",
        "type": Path,
        "help": "the nbgrader course directory (default: course/ in the kit)",
    }
    release = commands.add_parser(
        "release", help="build nbgrader notebooks from solutions/ and run generate_assignment"
    )
    release.add_argument(
        "exercises",
        nargs="*",
        metavar="EXERCISE",
        help="exercises in the assignment (default: all), one notebook each",
    )
    release.add_argument("--course", **course)
    release.add_argument(
        "--assignment", metavar="NAME", help=f"assignment name (default: {DEFAULT_ASSIGNMENT})"
    )
    release.add_argument(
        "--cell-timeout",
        metavar="SECONDS",
        type=int,
        default=CELL_TIMEOUT,
        help="time limit for each cell of a kernel you start yourself in the course, e.g. "
        f"`nbgrader validate`; autograde starts none (default: {CELL_TIMEOUT})",
    )
    autograde = commands.add_parser(
        "autograde",
        help="grade the submitted notebooks in the sandbox (no kernel runs them); nbgrader "
        "records the scores, writes feedback and exports the CSV",
    )
    autograde.add_argument(
        "assignment",
        nargs="?",
        metavar="ASSIGNMENT",
        help=f"assignment name (default: {DEFAULT_ASSIGNMENT})",
    )
    autograde.add_argument("--course", **course)


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    """The command line, with exercises allowed after options too (`gradescope OUT.zip
    --assignment hw1 mse net`): argparse gives a list positional only the words before the
    first option, and calls the rest unrecognized."""
    parser = _parser()
    args, rest = parser.parse_known_args(argv)
    if rest and isinstance(getattr(args, "exercises", None), list) and not any(
            word.startswith("-") for word in rest):
        args.exercises = [*args.exercises, *rest]
    elif rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    if sys.platform != "linux" and args.command not in ("stubs", "release"):
        print("torchgrade grades on Linux only: its sandbox needs Linux namespaces, cgroups "
              "and prctl. On Windows use WSL 2; on macOS a Linux container or VM "
              "(docs/students.md, Platforms).", file=sys.stderr)
        return 2
    if args.command in INSTRUCTOR_ONLY and not _has_reference():
        print(f"`python -m graders {args.command}` needs the reference solutions, which the "
              "student kit does not hold: run it in the instructor's kit.", file=sys.stderr)
        return 2
    if args.command == "stubs":
        from graders._stubs import main as stubs_main

        return stubs_main(check=args.check)
    if args.command == "gradescope":
        from graders.gradescope import main as gradescope_main

        return gradescope_main(args)
    if args.command == "batch":
        from graders.batch import main as batch_main

        return batch_main(args)
    if args.command in ("release", "autograde") and not _has_nbgrader():
        print(
            "nbgrader is not installed: pip install -e '.[instructor]' (or use nox -s "
            f"{args.command})",
            file=sys.stderr,
        )
        return 2
    if args.command == "autograde":
        from graders.nbgrader.autograde import main as autograde_main

        return autograde_main(args.course, args.assignment)
    problem = (_bad_arguments(args)
               if args.command in ("grade", "release", "student-kit", "classroom") else "")
    if problem:
        print(problem, file=sys.stderr)
        return 2
    if args.command == "release":
        from graders.nbgrader.release import main as release_main

        return release_main(args.course, args.assignment, args.exercises, args.cell_timeout)
    # Start the fork server first: it imports torch (and warms the meta device and
    # scikit-learn, when the run needs them) while this process imports pytest, torch and
    # the graders.
    from graders._sandbox import Sandbox

    chosen = getattr(args, "exercises", None) or in_this_kit()
    lanes = _lanes_for(args, chosen)
    with Sandbox(warm=_warm_ups_for(chosen, lanes), lanes=lanes).start() as sandbox:
        if args.command == "grade":
            return _grade(args, sandbox)
        if args.command == "student-kit":
            return _student_kit(args, sandbox)
        if args.command == "classroom":
            return _classroom(args, sandbox)
        return _validate(sandbox)


def _lanes_count(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 64:
        raise argparse.ArgumentTypeError(f"a number of cores from 1 to 64, not {text!r}")
    return int(text)


def _lanes_for(args: argparse.Namespace, chosen) -> int:
    """How many exercises `grade` and `validate` grade at once (graders._lanes); the other
    commands grade one exercise at a time, or many students at once (batch)."""
    if args.command not in ("grade", "validate") or len(chosen) < 2:
        return 1
    from graders._lanes import default_lanes

    return getattr(args, "lanes", None) or default_lanes()


def _warm_ups_for(chosen, lanes: int) -> tuple[str, ...]:
    """What the fork server warms as it starts: on several lanes, only what every lane
    uses (each lane's server warms the rest when it first needs it)."""
    from graders._layout import warm_ups

    if lanes == 1:
        return warm_ups(chosen)
    from graders._lanes import shared_warm_ups

    return shared_warm_ups(chosen, lanes)


# Commands that read solutions/: the student kit has none.
INSTRUCTOR_ONLY = ("validate", "stubs", "student-kit", "batch", "release", "autograde",
                   "gradescope", "classroom")


def _has_reference() -> bool:
    from graders._layout import SOLUTIONS

    return SOLUTIONS.is_dir()


def _has_nbgrader() -> bool:
    import importlib.util

    return importlib.util.find_spec("nbgrader") is not None


def _bad_arguments(args: argparse.Namespace) -> str:
    unknown = unknown_exercises(args.exercises)
    if unknown:
        return (f"unknown exercise(s): {', '.join(unknown)}; choose from "
                f"{', '.join(in_this_kit())}")
    if getattr(args, "submission", None) is not None and not args.submission.is_dir():
        return f"submission directory not found: {args.submission}"
    if args.command in ("student-kit", "classroom") and args.out.exists():
        what = "student kit" if args.command == "student-kit" else "template repository"
        return f"{args.out} exists: the {what} goes into a new folder"
    if getattr(args, "student", None) is not None and not _has_reference():
        return ("`grade --student` needs the reference solutions (hidden checks): run it in "
                "the instructor's kit")
    return ""


def _grade(args: argparse.Namespace, sandbox) -> int:
    from graders._engine import GradingError, grade
    from graders._terminal import print_report, progress_display
    from graders._variant import SecretMissing, for_student, secret_folder

    try:
        variant = for_student(args.student, args.course)
    except (SecretMissing, ValueError) as error:
        print(f"--student: {error}", file=sys.stderr)
        return 2
    if args.student is not None:
        sandbox.hide((str(secret_folder(args.course)),))
    # On a terminal a student never stares at a silent screen; in a pipe, nothing extra.
    try:
        with progress_display(args.exercises or in_this_kit()) as progress:
            report = grade(args.submission, args.exercises or None, sandbox=sandbox,
                           progress=progress, variant=variant)
    except GradingError as error:  # the kit's own fault, not the student's: say it plainly
        print(f"grading could not run: {error}", file=sys.stderr)
        return 1
    print_report(report)
    if args.json:
        args.json.write_text(json.dumps(report.to_gradescope(), indent=2) + "\n")
    if args.html:  # only here: a plain `grade` imports no report drawing at all
        from graders._html import student_report

        args.html.write_text(student_report(report, student=args.student), encoding="utf-8")
    return 0


def _student_kit(args: argparse.Namespace, sandbox) -> int:
    from graders._student_kit import build, with_siblings

    chosen = with_siblings(tuple(args.exercises or EXERCISES))
    wheel = build(args.out, args.assignment, chosen, sandbox=sandbox)
    print(f"Student kit for {args.assignment} ({', '.join(chosen)}) in {args.out}: the stubs, "
          f"the public checks and their answer key; no solutions, no hidden checks.\n"
          f"Wheel: {wheel}")
    return 0


def _classroom(args: argparse.Namespace, sandbox) -> int:
    from graders._classroom import WORKFLOW, build
    from graders._student_kit import with_siblings

    chosen = with_siblings(tuple(args.exercises or EXERCISES))
    build(args.out, args.assignment, chosen, sandbox=sandbox)
    print(f"GitHub Classroom template for {args.assignment} ({', '.join(chosen)}) in "
          f"{args.out}: the student kit, {WORKFLOW} and a README for students. Push it to a "
          "repository of your classroom's organization, mark it a template, and give the "
          "assignment no autograding tests of its own (docs/classroom.md).")
    return 0


def _validate(sandbox) -> int:
    from graders._engine import grade
    from graders._layout import EXERCISES_DIR, SOLUTIONS
    from graders._stubs import stale_stubs

    problems = [
        f"exercises/{name} is out of date: run `python -m graders stubs`" for name in stale_stubs()
    ]
    solutions = grade(SOLUTIONS, sandbox=sandbox)
    stubs = grade(EXERCISES_DIR, sandbox=sandbox)
    for full, empty in zip(solutions.exercises, stubs.exercises, strict=False):
        verdict = "ok"
        if full.score != full.max_score:
            verdict = f"FAIL solution scores {full.score:g}/{full.max_score:g}: {full.first_hint}"
        elif empty.score != 0:
            verdict = f"FAIL stub scores {empty.score:g}/{empty.max_score:g}, expected 0"
        if verdict != "ok":
            problems.append(f"{full.name}: {verdict}")
        print(
            f"{full.name:<12} solution {full.score:g}/{full.max_score:g}  "
            f"stub {empty.score:g}/{empty.max_score:g}  {verdict}"
        )
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


def _exit_now(code: int) -> None:
    """End a grading command without the interpreter's shutdown: tearing down torch's
    modules took 0.7 s of every ``grade``. Everything it opened is closed by now (the
    sandbox and its scratch folder in ``main``'s ``with``); only buffered output is left."""
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    os._exit(code)


if __name__ == "__main__":
    try:
        status = main()
    except BrokenPipeError:  # the reader left (`grade | head`): the rest goes nowhere
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        status = 1
    except KeyboardInterrupt:  # Ctrl-C: the sandbox is closed by now; no traceback
        print("\ninterrupted: nothing was graded to the end", file=sys.stderr)
        status = 130
    if sys.argv[1:2] in (["grade"], ["validate"]):
        _exit_now(status)
    sys.exit(status)
