"""How long grading takes, against a bare ``import torch`` on this machine, in one run.

    python benchmarks/grade_time.py [--repeat 3] [EXERCISE ...]

Prints the median wall time of a bare ``import torch``, of ``python -m graders
grade`` of the solutions (target: at most 3x ``import torch`` for all twelve
exercises; then the same on one core, ``--lanes 1``, and the same with no sandbox at all,
every probe run in one process: the work itself), of the same ``grade`` with
``--html`` (the student's HTML report; target: at most 1.1x the plain ``grade``, the two
run alternately), of ``nox -s grade -- mse`` with
nox's virtualenv already installed (target: at most 2x; skipped where nox is not on PATH),
and each exercise's own grading time, measured in-process with one shared fork server, then
what drawing the HTML page of those results costs in-process. ``--html-only`` measures only
``grade --html`` against ``grade``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graders._layout import EXERCISES, SOLUTIONS  # noqa: E402

TARGET_RATIO = 3.0
TARGET_NOX_MSE = 2.0
TARGET_HTML = 1.1


def wall(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def median_wall(command: list[str], repeat: int) -> float:
    return statistics.median(wall(command) for _ in range(repeat))


def wall_and_cpu(command: list[str]) -> tuple[float, float]:
    """Wall time, and the CPU time of the process and every process it waited for (the
    fork server, which waits for its probes): on a busy machine the CPU time still says
    what a change costs when the wall time mostly says what the other jobs did."""
    start = time.perf_counter()
    child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise subprocess.CalledProcessError(child.returncode, command)
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


def plain_and_html(exercises: list[str], repeat: int) -> dict[str, tuple[float, float]]:
    """Median wall and CPU times of ``grade`` and ``grade --html`` of the solutions, run
    alternately so that a change in the machine's load weighs on both alike."""
    grade = [sys.executable, "-m", "graders", "grade", "--submission", str(SOLUTIONS),
             *exercises]
    runs: dict[str, list[tuple[float, float]]] = {"grade": [], "grade --html": []}
    with tempfile.TemporaryDirectory() as scratch:
        page = str(Path(scratch) / "report.html")
        for _ in range(repeat):
            runs["grade"].append(wall_and_cpu(grade))
            runs["grade --html"].append(wall_and_cpu([*grade, "--html", page]))
    return {name: (statistics.median(w for w, _ in times), statistics.median(c for _, c in times))
            for name, times in runs.items()}


def per_exercise(exercises: list[str]) -> tuple[dict[str, float], list]:
    """Each exercise's grading time with a warm fork server, and its results."""
    from graders import grade
    from graders._layout import warm_ups
    from graders._sandbox import Sandbox

    times, results = {}, []
    # Warmed as `grade` warms it: otherwise digits and logistic would import scikit-learn
    # and torch._dynamo in every child that needs them, and look seconds slower than they are.
    with Sandbox(warm=warm_ups(exercises)) as sandbox:
        grade(SOLUTIONS, exercises[:1], sandbox=sandbox)  # warm the fork server
        for name in exercises:
            start = time.perf_counter()
            results += grade(SOLUTIONS, [name], sandbox=sandbox).exercises
            times[name] = time.perf_counter() - start
    return times, results


def page_cost(results: list) -> float:
    """Seconds to import the HTML report's modules and draw the page of ``results``."""
    start = time.perf_counter()
    from graders._html import student_report
    from graders._report import GradeReport

    student_report(GradeReport(str(SOLUTIONS), tuple(results)))
    return time.perf_counter() - start


def report_html(exercises: list[str], repeat: int) -> float:
    """Print ``grade --html`` against ``grade``, wall and CPU; return ``grade``'s wall time."""
    times = plain_and_html(exercises, repeat)
    (full, full_cpu), (html, html_cpu) = times["grade"], times["grade --html"]
    print(f"grade --submission solutions: {full:6.2f} s (CPU {full_cpu:6.2f} s)")
    print(f"the same with --html:       {html:6.2f} s (CPU {html_cpu:6.2f} s)")
    for what, ratio in (("wall", html / full), ("CPU", html_cpu / full_cpu)):
        print(f"ratio, {what + ':':<20} {ratio:6.2f}x (target <= {TARGET_HTML:g}x) "
              f"{'OK' if ratio <= TARGET_HTML else 'OVER TARGET'}")
    return full


def one_lane(exercises: list[str], repeat: int, full: float, floor: float) -> None:
    """The same grade on one core (``--lanes 1``): what grading on every core gains."""
    from graders._lanes import default_lanes

    alone = median_wall([sys.executable, "-m", "graders", "grade", "--submission",
                         str(SOLUTIONS), "--lanes", "1", *exercises], repeat)
    print(f"the same on one lane:       {alone:6.2f} s ({alone / floor:.2f}x import torch); "
          f"{default_lanes()} lanes were {alone / full:.2f}x faster")


def no_sandbox(exercises: list[str], floor: float) -> None:
    """The same grade with every probe run in one process and no sandbox at all
    (``benchmarks/in_process.py``), in a fresh process: the work itself, against the target."""
    command = [sys.executable, str(ROOT / "benchmarks" / "in_process.py"), "--one-grade",
               *exercises]
    seconds = float(subprocess.run(command, cwd=ROOT, check=True, capture_output=True,
                                   text=True).stdout.split()[-1])
    print(f"the same with no sandbox:   {floor + seconds:6.2f} s "
          f"(import torch, then {seconds:.2f} s in one process: "
          f"{(floor + seconds) / floor:.2f}x import torch)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--html-only", action="store_true",
                        help="measure only `grade --html` against `grade`")
    parser.add_argument("exercises", nargs="*", default=list(EXERCISES))
    args = parser.parse_args()
    if args.html_only:
        report_html(args.exercises, args.repeat)
        return
    floor = median_wall([sys.executable, "-c", "import torch"], args.repeat)
    print(f"import torch:               {floor:6.2f} s")
    full = report_html(args.exercises, args.repeat)
    ratio = full / floor
    print(f"ratio to import torch:      {ratio:6.2f}x (target <= {TARGET_RATIO:g}x) "
          f"{'OK' if ratio <= TARGET_RATIO else 'OVER TARGET'}")
    one_lane(args.exercises, args.repeat, full, floor)
    no_sandbox(args.exercises, floor)
    nox = shutil.which("nox")
    if nox:
        wall([nox, "-s", "grade", "--", "mse"])  # the first run may still install
        mse = median_wall([nox, "-s", "grade", "--", "mse"], args.repeat)
        # Against `import torch` in the session's own virtualenv: it installs torch from
        # PyPI as students get it (a CUDA build, slower to import than a CPU one).
        python = ROOT / ".nox" / "grade" / "bin" / "python"
        own = median_wall([str(python), "-c", "import torch"], args.repeat) if (
            python.exists()) else floor
        ratio = mse / own
        print(f"import torch (nox's grade virtualenv): {own:6.2f} s")
        print(f"nox -s grade -- mse:        {mse:6.2f} s")
        print(f"ratio:                      {ratio:6.2f}x (target <= {TARGET_NOX_MSE:g}x) "
              f"{'OK' if ratio <= TARGET_NOX_MSE else 'OVER TARGET'}")
    times, results = per_exercise(args.exercises)
    for name, seconds in times.items():
        print(f"  {name:<12} {seconds:6.2f} s")
    print(f"the HTML page of these results, import and drawing: {page_cost(results):6.3f} s")


if __name__ == "__main__":
    main()
