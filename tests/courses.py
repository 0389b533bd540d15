"""A course directory for the tests: the same course secret in every run.

A fresh random secret per session would draw new variant inputs each run, and a result that
depends on the variant (code tuned to the public inputs) would then differ from run to run.
"""

from __future__ import annotations

from pathlib import Path

from graders._variant import SECRET_FILE

COURSE_SECRET = "5eed" * 16


def fixed_secret(course: Path) -> Path:
    """Give ``course`` the suite's fixed secret (before anything grades in it); the course."""
    path = Path(course) / SECRET_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(COURSE_SECRET + "\n")
    path.chmod(0o600)
    return Path(course)
