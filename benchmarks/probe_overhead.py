"""What one call into student code costs: the median wall time of an empty probe.

    python benchmarks/probe_overhead.py [--count 50]

An empty probe is one call into a submission whose function returns None,
with every isolation layer this machine allows (the table says which). The
target is at most 20 ms on an idle 2-core machine. It also prints what each
step of the jail's set-up cost (paid once per submission, not per probe).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_SECONDS = 0.020
CALL = "graders._child:call"


def main() -> None:
    from graders._sandbox import Sandbox

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch, Sandbox() as sandbox:
        submission = Path(scratch, "student")
        submission.mkdir()
        (submission / "mse.py").write_text("def mse(y_pred, y):\n    return None\n")
        layers = sandbox.isolation()
        print("layers:", ", ".join(f"{x.name}{'' if x.active else ' (missing)'}" for x in layers))
        sandbox.run(submission, "mse", CALL, ("mse", None, None), {}, 30.0)  # the jail
        times = []
        for _ in range(args.count):
            start = time.perf_counter()
            sandbox.run(submission, "mse", CALL, ("mse", None, None), {}, 30.0)
            times.append(time.perf_counter() - start)
        steps = sandbox.run(submission, "mse", "graders._child:jail_timings", (), {}, 30.0).value
    median = statistics.median(times)
    verdict = "OK" if median <= TARGET_SECONDS else "OVER TARGET"
    print(f"empty probe: median {median * 1000:.1f} ms, fastest {min(times) * 1000:.1f} ms "
          f"over {args.count} (target <= {TARGET_SECONDS * 1000:.0f} ms) {verdict}")
    print("jail set-up, once per submission:")
    for name, seconds in steps:
        print(f"  {name:<40} {seconds * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
