"""torchgrade's sessions: grade your work, validate the kit, run its tests, lint;
release and autograde notebooks with nbgrader.

Every session uses uv and reuses its virtualenv, so only the first run installs
torch. Pass exercise names after ``--``: ``nox -s grade -- mse net``.
"""

from __future__ import annotations

import nox

nox.options.default_venv_backend = "uv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["grade"]

PYTHON = "3.11"


def _install_kit(session: nox.Session, *extras: str) -> None:
    target = f".[{','.join(extras)}]" if extras else "."
    session.install("-e", target)


@nox.session(python=PYTHON)
def grade(session: nox.Session) -> None:
    """Grade your exercises: a score per exercise and a hint for every failed check."""
    _install_kit(session)
    session.run("python", "-m", "graders", "grade", *session.posargs)


@nox.session(python=PYTHON)
def validate(session: nox.Session) -> None:
    """Check the kit: solutions score full marks, untouched stubs score zero."""
    _install_kit(session)
    session.run("python", "-m", "graders", "validate")


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Run the kit's own test suite (validate, mistakes, alternatives, end-to-end)."""
    _install_kit(session, "dev", "instructor", "cluster")
    session.run("python", "-m", "graders", "validate")
    session.run("python", "-m", "pytest", *session.posargs)


@nox.session(python=PYTHON)
def mutants(session: nox.Session) -> None:
    """Grade every catalogued mistake and alternative and print the kill matrix."""
    _install_kit(session)
    session.run("python", "tests/kill_matrix.py", *session.posargs)


@nox.session(python=PYTHON)
def release(session: nox.Session) -> None:
    """Build and release the nbgrader course in course/ (``-- --assignment NAME EXERCISE ...``)."""
    _install_kit(session, "instructor")
    session.run("python", "-m", "graders", "release", *session.posargs)


@nox.session(python=PYTHON)
def autograde(session: nox.Session) -> None:
    """Autograde course/submitted/, regrade in the sandbox, feedback and CSV (``-- NAME``)."""
    _install_kit(session, "instructor")
    session.run("python", "-m", "graders", "autograde", *session.posargs)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """Lint the kit with ruff."""
    session.install("ruff")
    session.run("ruff", "check", ".")
