"""What a result needs so that a regrade months later can be reproduced and audited.

Every ``GradeReport`` carries one (``extra_data.manifest`` in results.json): the kit's
version and the graders' git commit, the versions that decide numerics (torch, numpy,
Python), the variant's public id (never the course secret), and every check with its
points and visibility. It costs no torch import and one ``git`` call at most.
"""

from __future__ import annotations

import functools
import platform
import subprocess
import sys
from importlib import metadata

from graders._layout import ROOT


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


@functools.lru_cache(maxsize=1)
def _commit() -> str | None:
    """The graders' git commit, with ``+changes`` when the checkout differs from it."""
    if not (ROOT / ".git").exists():
        return None
    try:
        head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True,
                              text=True, timeout=10, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--", "graders",
                                "solutions"], capture_output=True, text=True, timeout=10,
                               check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return head + ("+changes" if dirty.strip() else "")


def build(exercises, variant_id: str) -> dict:
    """The manifest of a grade of ``exercises`` (``ExerciseResult`` records)."""
    torch = sys.modules.get("torch")  # grading imported it already; never import it here
    numpy = sys.modules.get("numpy")
    return {
        "kit": {"name": "torchgrade", "version": _version("torchgrade"), "commit": _commit()},
        "versions": {"python": platform.python_version(),
                     "torch": getattr(torch, "__version__", None) or _version("torch"),
                     "numpy": getattr(numpy, "__version__", None) or _version("numpy")},
        "variant": variant_id,
        "checks": [{"name": f"{check.exercise} / {check.check}", "max_score": check.max_points,
                    "visibility": check.visibility}
                   for exercise in exercises for check in exercise.checks],
        "hidden_points": {e.name: e.hidden_max for e in exercises if e.hidden_max},
    }
