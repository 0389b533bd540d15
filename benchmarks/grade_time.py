"""How long grading takes, against a bare ``import torch`` on this machine, in one run.

    python benchmarks/grade_time.py [--repeat 3] [EXERCISE ...]

Prints the median wall time of a bare ``import torch``, of ``python -m graders
grade`` of the solutions (target: at most 3x ``import torch`` for all twelve
exercises), of ``nox -s grade -- mse`` with nox's virtualenv already installed
(target: at most 2x; skipped where nox is not on PATH), and each exercise's own
grading time, measured in-process with one shared fork server.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graders._layout import EXERCISES, SOLUTIONS  # noqa: E402

TARGET_RATIO = 3.0
TARGET_NOX_MSE = 2.0


def wall(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def median_wall(command: list[str], repeat: int) -> float:
    return statistics.median(wall(command) for _ in range(repeat))


def per_exercise(exercises: list[str]) -> dict[str, float]:
    from graders import grade
    from graders._sandbox import Sandbox

    times = {}
    with Sandbox() as sandbox:
        grade(SOLUTIONS, exercises[:1], sandbox=sandbox)  # warm the fork server
        for name in exercises:
            start = time.perf_counter()
            grade(SOLUTIONS, [name], sandbox=sandbox)
            times[name] = time.perf_counter() - start
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("exercises", nargs="*", default=list(EXERCISES))
    args = parser.parse_args()
    floor = median_wall([sys.executable, "-c", "import torch"], args.repeat)
    full = median_wall([sys.executable, "-m", "graders", "grade", "--submission",
                        str(SOLUTIONS), *args.exercises], args.repeat)
    ratio = full / floor
    print(f"import torch:               {floor:6.2f} s")
    print(f"grade --submission solutions: {full:6.2f} s")
    print(f"ratio:                      {ratio:6.2f}x (target <= {TARGET_RATIO:g}x) "
          f"{'OK' if ratio <= TARGET_RATIO else 'OVER TARGET'}")
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
    for name, seconds in per_exercise(args.exercises).items():
        print(f"  {name:<12} {seconds:6.2f} s")


if __name__ == "__main__":
    main()
