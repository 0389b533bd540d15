"""The probes' own compute, with no sandbox at all: the floor the benchmarks divide by.

``InProcessProbes`` stands where ``graders._sandbox.Sandbox`` stands in a grade, but
runs each probe in this very process: the submission imported afresh, a fresh random
state, an empty working directory, its own copy of the arguments, the result through the
same closed encoder and decoder (``graders._child.answer``, ``graders._wire``). No fork,
no jail, no isolation layer, no time limit.

It is for measuring trusted, well-behaved code only (the solutions, the catalogued
alternatives and mistakes): student code run here could end or rebind this process.
Grading never uses it.

    python benchmarks/in_process.py [--repeat 3] [--one-grade] [EXERCISE ...]

prints a bare ``import torch``, then the grade of the solutions in one process with
no sandbox, per exercise: how far below a sandboxed grade the work itself lies.
``--one-grade`` grades them all in one grade, as ``grade`` would, and prints only
its seconds.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graders._layout import EXERCISES, SOLUTIONS  # noqa: E402


class InProcessProbes:
    """What a grade asks of its sandbox, answered in this process."""

    lanes = 1  # one process: the floor is the work, not how it is spread

    def __init__(self) -> None:
        self._counts: dict[tuple[str, str], int] = {}

    def start(self) -> InProcessProbes:
        return self

    def begin_run(self) -> None:
        self._counts.clear()

    def isolation(self) -> tuple:
        return ()  # no layer: that is the point

    def cuda_available(self) -> bool:
        import torch

        return torch.cuda.is_available()

    def close(self) -> None:
        pass

    def run(self, directory: Path, exercise: str, probe: str, args: tuple, kwargs: dict,
            timeout: float, **options: Any) -> Any:
        from graders import _child
        from graders._sandbox import probe_seed
        from graders._wire import decode_outcome

        key = (exercise, probe)
        self._counts[key] = self._counts.get(key, 0) + 1
        _forget_submission()
        _child._fresh_random_state(probe_seed(exercise, probe, self._counts[key]))
        # The probe gets its own copy of the arguments, as a child gets them through a pipe:
        # probes write into what student code returned to see what it shares.
        args, kwargs = pickle.loads(pickle.dumps((args, kwargs)))
        output = io.StringIO()
        with tempfile.TemporaryDirectory() as work, contextlib.chdir(work), \
                contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
            data = _child.answer(str(Path(directory).resolve()), exercise, probe, args, kwargs)
        return decode_outcome(data)


def _forget_submission() -> None:
    """Each probe imports the submission afresh, as a new child would."""
    from graders._child import PACKAGE

    for name in [n for n in sys.modules if n == PACKAGE or n.startswith(PACKAGE + ".")]:
        del sys.modules[name]


def grade_in_process(directory: Path, exercises: list[str]) -> float:
    """Seconds to grade ``directory`` with every probe run in this process."""
    import torch

    from graders import grade

    torch.set_num_threads(1)  # as the sandbox's children run
    start = time.perf_counter()
    grade(directory, exercises, sandbox=InProcessProbes())
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--one-grade", action="store_true",
                        help="grade the exercises in one grade, from a cold start, and print "
                             "only its seconds (for benchmarks/grade_time.py)")
    parser.add_argument("exercises", nargs="*", default=list(EXERCISES))
    args = parser.parse_args()
    if args.one_grade:
        import torch  # noqa: F401  the caller times `import torch` on its own

        print(f"{grade_in_process(SOLUTIONS, args.exercises):.3f}", flush=True)
        os._exit(0)  # skip torch's teardown, as `grade` does
    torch_times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import torch"], check=True)
        torch_times.append(time.perf_counter() - start)
    floor = statistics.median(torch_times)
    print(f"import torch:                       {floor:6.2f} s")
    grade_in_process(SOLUTIONS, args.exercises[:1])  # imports, pytest's first collection
    times = {name: grade_in_process(SOLUTIONS, [name]) for name in args.exercises}
    for name, seconds in times.items():
        print(f"  {name:<12} {seconds:6.2f} s")
    whole = sum(times.values())
    print(f"every exercise, no sandbox:         {whole:6.2f} s "
          f"(import torch + this = {(floor + whole) / floor:.2f}x import torch)")
    os._exit(0)


if __name__ == "__main__":
    main()
