"""torchgrade's sessions: grade your work, open a Python with the kit's torch, validate the
kit, run its tests, lint; grade a class; release and autograde notebooks with nbgrader.

Run them from the kit's top folder (this file's); from a subfolder add ``-f ../noxfile.py``.
Every session uses uv and keeps its virtualenv (``.nox/<session>``), so only the first run
installs torch: pass arguments after ``--``, e.g. ``nox -s grade -- mse net``.

Sessions run on the Python that runs nox when the kit supports it (3.10 or newer), else on
the newest supported one found; ``nox -s grade -P 3.12`` picks another. No GPU? Set
``UV_TORCH_BACKEND=cpu`` before the first run for the CPU build of torch (docs/students.md).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import nox

nox.needs_version = ">=2024.4.15"
nox.options.default_venv_backend = "uv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["grade"]

# The Pythons pyproject.toml's classifiers list (requires-python >= 3.10).
SUPPORTED = ("3.10", "3.11", "3.12", "3.13")


def _python() -> str | None:
    """None (nox's own interpreter) when it is supported; else the newest supported found."""
    if sys.version_info >= (3, 10):  # noqa: UP036 (nox itself may run on an older Python)
        return None
    for version in reversed(SUPPORTED):
        if shutil.which(f"python{version}"):
            return version
    return SUPPORTED[-2]  # none here: uv can fetch one


PYTHON = _python()
# The student kit (`python -m graders student-kit`) ships this file without solutions/: there
# only the students' sessions exist, the instructors' need the reference.
INSTRUCTOR = (Path(__file__).resolve().parent / "solutions").is_dir()


def instructor_session(**options):
    """``nox.session`` where the reference solutions are; nothing in the student kit."""
    return nox.session(**options) if INSTRUCTOR else (lambda function: function)


def _has_torch(session: nox.Session) -> bool:
    venv = Path(session.virtualenv.location)
    return any(venv.glob("lib/python3*/site-packages/torch")) or (
        venv / "Lib" / "site-packages" / "torch"
    ).is_dir()


def _install_stamp(session: nox.Session, target: str, options: tuple[str, ...]) -> Path:
    """A file in the virtualenv naming what was installed: pyproject.toml, extras, options."""
    import hashlib

    digest = hashlib.sha256(Path("pyproject.toml").read_bytes())
    digest.update(repr((target, options)).encode())
    return Path(session.virtualenv.location) / f".torchgrade-{digest.hexdigest()[:16]}"


def _install_kit(session: nox.Session, *extras: str, options: tuple[str, ...] = ()) -> None:
    """Install the kit (and torch) into the session's virtualenv; say so when torch is new.

    The kit is installed in editable mode, so later runs see every change to its files; they
    install again only when pyproject.toml (or the extras) changed: uv's check costs 2 s of
    the 9 s that `nox -s grade -- mse` took.
    """
    target = f".[{','.join(extras)}]" if extras else "."
    stamp = _install_stamp(session, target, options)
    first = not _has_torch(session)
    if not first and stamp.is_file():
        return
    if first:
        backend = os.environ.get("UV_TORCH_BACKEND")
        session.log(
            f"First run: installing torch and the kit into "
            f"{os.path.relpath(session.virtualenv.location)}. This takes minutes: "
            + (f"uv picks torch for UV_TORCH_BACKEND={backend}. " if backend else
               "torch from PyPI on Linux is a CUDA build of about 5.4 GB (a 3 GB download); "
               "UV_TORCH_BACKEND=cpu gets the CPU build, about 0.75 GB (a 0.2 GB download). ")
            + "Later runs reuse it."
        )
    # On the first run uv's own progress shows; later runs stay quiet unless -v.
    # UV_COMPILE_BYTECODE: uv writes no .pyc files by default, and where Python may not write
    # them either (PYTHONDONTWRITEBYTECODE, a read-only venv) every process compiled torch's
    # sources again: `import torch` took 8.5 s instead of 2.9 s here, in every grading
    # process and fork server. Compiling once at install (about a minute) pays that once.
    session.install("-e", target, *options, silent=False if first else None,
                    env={"UV_COMPILE_BYTECODE": "1"})
    for old in Path(session.virtualenv.location).glob(".torchgrade-*"):
        old.unlink()
    stamp.touch()
    if first:
        session.run(
            "python", "-c",
            "import sys, torch; print(f'Python {sys.version.split()[0]}, torch',"
            " torch.__version__, '(CUDA build)' if torch.version.cuda else '(CPU build)')",
        )


def _platform_check(session: nox.Session) -> None:
    if sys.platform != "linux":
        session.error(
            "torchgrade grades on Linux only: its sandbox uses Linux's prctl, namespaces and "
            "/proc. On Windows use WSL 2; on macOS a Linux VM or container (docs/students.md)."
        )


@nox.session(python=PYTHON)
def grade(session: nox.Session) -> None:
    """Grade your exercises: a score per exercise and a hint for every failed check."""
    _platform_check(session)
    _install_kit(session)
    session.chdir(session.invoked_from)  # --submission and --json paths as the user typed them
    session.run("python", "-m", "graders", "grade", *session.posargs)


@nox.session(python=PYTHON)
def repl(session: nox.Session) -> None:
    """Python with the kit's torch: a REPL, or ``-- FILE.py`` / ``-- -c CODE`` to run code."""
    _install_kit(session)
    session.chdir(session.invoked_from)
    session.run("python", *session.posargs)


@instructor_session(python=PYTHON)
def validate(session: nox.Session) -> None:
    """Check the kit: solutions score full marks, untouched stubs score zero."""
    _platform_check(session)
    _install_kit(session)
    session.run("python", "-m", "graders", "validate")


@instructor_session(python=PYTHON)
def stubs(session: nox.Session) -> None:
    """Regenerate exercises/ from solutions/ (``-- --check``: only report staleness)."""
    _install_kit(session)
    session.run("python", "-m", "graders", "stubs", *session.posargs)


@instructor_session(python=PYTHON)
def batch(session: nox.Session) -> None:
    """Grade a class: ``-- SUBMISSIONS --out DIR [--workers N] [--scheduler tcp://HOST:PORT]``."""
    _platform_check(session)
    _install_kit(session, "cluster")
    session.chdir(session.invoked_from)
    session.run("python", "-m", "graders", "batch", *session.posargs)


@instructor_session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Run the kit's own test suite (validate, mistakes, alternatives, end-to-end)."""
    _platform_check(session)
    _install_kit(session, "dev", "instructor", "cluster")
    session.run("python", "-m", "graders", "validate")
    # One worker per core (pytest-xdist): grading runs are single-threaded children, so two
    # workers keep both cores busy. Tests that share a module fixture or a graded catalogue
    # file stay on one worker (tests/conftest.py). The 15 slowest tests, in every run: the
    # next regression in CI's time shows here. ``-- -n 0`` runs them in this process.
    session.run("python", "-m", "pytest", "-n", "auto", "--dist", "loadgroup",
                "--durations=15", *session.posargs)


@instructor_session(python=PYTHON, default=False)
def oldest(session: nox.Session) -> None:
    """Validate on the lowest torch, numpy, scikit-learn, pytest, tqdm allowed (``-P 3.10``)."""
    _platform_check(session)
    # lowest-direct: every dependency in pyproject.toml at its lower bound (torch 2.6.0).
    _install_kit(session, options=("--resolution", "lowest-direct"))
    session.run("python", "-m", "graders", "validate")


# A fresh virtualenv every time: uv then resolves the newest releases (``--upgrade`` would
# also make uv fetch every cached wheel again).
@instructor_session(python=PYTHON, default=False, reuse_venv=False)
def newest(session: nox.Session) -> None:
    """Validate on the newest torch and dependencies pyproject.toml allows (``-P 3.13``)."""
    _platform_check(session)
    _install_kit(session)
    session.run("python", "-m", "graders", "validate")


@instructor_session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Run a benchmark: ``-- benchmarks/grade_time.py`` or ``-- benchmarks/batch.py``."""
    _platform_check(session)
    _install_kit(session, "instructor", "cluster")
    session.run("python", *(session.posargs or ["benchmarks/grade_time.py"]))


@instructor_session(python=PYTHON)
def mutants(session: nox.Session) -> None:
    """Grade every catalogued mistake and alternative and print the kill matrix."""
    _install_kit(session)
    session.run("python", "tests/kill_matrix.py", *session.posargs)


@instructor_session(python=PYTHON)
def release(session: nox.Session) -> None:
    """Build and release the nbgrader course in course/ (``-- --assignment NAME EXERCISE ...``)."""
    _install_kit(session, "instructor")
    session.run("python", "-m", "graders", "release", *session.posargs)


@instructor_session(python=PYTHON)
def student_kit(session: nox.Session) -> None:
    """Write the kit students get, without the answers (``-- OUT [--assignment NAME] [EX ...]``)."""
    _platform_check(session)
    _install_kit(session)
    session.chdir(session.invoked_from)
    session.run("python", "-m", "graders", "student-kit", *session.posargs)


@instructor_session(python=PYTHON)
def gradescope(session: nox.Session) -> None:
    """Build Gradescope's autograder zip (``-- OUT.zip [--assignment NAME] [EXERCISE ...]``)."""
    _install_kit(session)
    session.chdir(session.invoked_from)
    session.run("python", "-m", "graders", "gradescope", *session.posargs)


@instructor_session(python=PYTHON)
def classroom(session: nox.Session) -> None:
    """Write a GitHub Classroom template repository (``-- OUT [--assignment NAME] [EX ...]``)."""
    _install_kit(session)
    session.chdir(session.invoked_from)
    session.run("python", "-m", "graders", "classroom", *session.posargs)


@instructor_session(python=PYTHON)
def autograde(session: nox.Session) -> None:
    """Autograde course/submitted/, regrade in the sandbox, feedback and CSV (``-- NAME``)."""
    _platform_check(session)
    _install_kit(session, "instructor")
    session.run("python", "-m", "graders", "autograde", *session.posargs)


@instructor_session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """Lint the kit with ruff."""
    session.install("ruff")
    session.run("ruff", "check", ".")
