"""Find a class's submissions: one folder per student, exercise files or nbgrader notebooks.

Two layouts are read:

- ``SUBMISSIONS/<student>/<exercise>.py`` (also ``<exercise>.ipynb`` directly there);
- nbgrader's ``submitted/<student>/<assignment>/<exercise>.ipynb``, given either the
  course directory (which holds ``submitted/``) or ``submitted/`` itself.

A notebook is read by its solution cells only (by grade_id, as ``python -m graders
autograde`` does): stored outputs are never looked at. What a student is graded on is
the bytes of each ``<exercise>.py`` as it will be graded, kept here so that the hash
that decides whether to grade again is the hash of exactly what was graded.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from graders._layout import EXERCISES


class BatchError(ValueError):
    """The batch cannot start: a bad folder, an unknown exercise, an ambiguous assignment."""


@dataclass(frozen=True)
class Student:
    name: str  # the student's folder name
    sources: dict[str, bytes]  # exercise to the module that is graded
    notes: dict[str, str] = field(default_factory=dict)  # exercise to why it was unreadable


def _notebook_folders(folder: Path) -> dict[str, Path]:
    """Assignment name to folder, for a student folder in nbgrader's layout."""
    return {
        sub.name: sub
        for sub in sorted(folder.iterdir())
        if sub.is_dir()
        and not sub.name.startswith(".")
        and any((sub / f"{name}.ipynb").is_file() for name in EXERCISES)
    }


def _student_folders(root: Path) -> list[Path]:
    if not root.is_dir():
        raise BatchError(f"submissions folder not found: {root}")
    if (root / "submitted").is_dir():  # an nbgrader course directory
        root = root / "submitted"
    return [p for p in sorted(root.iterdir()) if p.is_dir() and not p.name.startswith(".")]


def _choose_assignment(folders: list[Path], assignment: str | None) -> str | None:
    found = sorted({name for folder in folders for name in _notebook_folders(folder)})
    if assignment is not None:
        if found and assignment not in found:
            raise BatchError(
                f"no assignment {assignment!r} in the submissions; found: {', '.join(found)}"
            )
        return assignment
    if len(found) > 1:
        raise BatchError(
            f"the submissions hold several assignments ({', '.join(found)}): "
            "choose one with --assignment"
        )
    return found[0] if found else None


def assignment_of(root: Path, assignment: str | None = None) -> str | None:
    """The assignment a class in nbgrader's layout hands in (``assignment``, or the only
    one its folders hold); None for plain student folders."""
    return _choose_assignment(_student_folders(Path(root)), assignment)


def _read_notebook(path: Path, exercise: str) -> tuple[bytes, str]:
    """The module the autograder grades from a notebook's solution cells, and a note."""
    from graders.nbgrader._notebooks import module_from_notebook

    try:
        notebook = json.loads(path.read_bytes())
        if not isinstance(notebook, dict):
            raise ValueError("not a notebook")
        note = ""
    except (OSError, ValueError) as error:
        notebook, note = {}, f"the submitted notebook could not be read ({error})"
    return module_from_notebook(notebook, exercise).encode(), note


def _read_one(place: Path, exercise: str) -> tuple[bytes, str] | None:
    """The module graded for ``exercise`` from ``place``, and a note; None if not there."""
    for path in (place / f"{exercise}.py", place / f"{exercise}.ipynb"):
        if path.is_symlink():  # it could point at the solutions, or at another student
            return b"", f"{path.name} is a symbolic link: not read, graded as empty"
        if path.is_file():
            if path.suffix == ".py":
                return path.read_bytes(), ""
            return _read_notebook(path, exercise)
    return None


def _read_student(folder: Path, assignment: str | None) -> Student:
    places = [folder]
    if assignment is not None and (folder / assignment).is_dir():
        places.insert(0, folder / assignment)
    sources, notes = {}, {}
    for exercise in EXERCISES:
        found = next(filter(None, (_read_one(place, exercise) for place in places)), None)
        if found is not None:
            sources[exercise] = found[0]
            if found[1]:
                notes[exercise] = found[1]
    return Student(folder.name, sources, notes)


def discover(
    root: Path, exercises: Sequence[str] | None = None, assignment: str | None = None
) -> tuple[list[Student], tuple[str, ...]]:
    """The students (sorted by name) and the exercises to grade, in course order.

    Without ``exercises``, every exercise that any student submitted is graded for
    every student (a student who did not submit it scores zero, "not found").
    """
    folders = _student_folders(Path(root))
    chosen = _choose_assignment(folders, assignment)
    students = [_read_student(folder, chosen) for folder in folders]
    if exercises:
        unknown = [name for name in exercises if name not in EXERCISES]
        if unknown:
            raise BatchError(
                f"unknown exercise(s): {', '.join(unknown)}; choose from {', '.join(EXERCISES)}"
            )
        names = tuple(name for name in EXERCISES if name in exercises)
    else:
        names = tuple(name for name in EXERCISES if any(name in s.sources for s in students))
    if not names:
        raise BatchError(
            f"no exercise files ({', '.join(EXERCISES)} as .py or .ipynb) "
            f"in the student folders under {root}"
        )
    return students, names
