"""What a student uploaded to Gradescope: each exercise's file, at whatever folder depth.

Students drag files, folders or a zip of their work folder onto Gradescope, so
``/autograder/submission`` may hold ``mse.py`` at its top, under ``hw1/``, or under
``torchgrade/exercises/``. Each exercise's ``<exercise>.py`` (or ``<exercise>.ipynb``,
read by its solution cells as ``batch`` reads it) is looked for everywhere; the shallowest
wins. Links are never followed (one could point at the kit), and the notes say, in the
student's words, what was missing, ambiguous or left out.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from graders._text import printable
from graders.batch._discover import _read_one

MAX_FILE_BYTES = 16 * 1024**2  # a notebook with figures in its outputs; no module is larger
MAX_ENTRIES = 10_000  # files and folders looked at: an upload is a homework folder
MAX_LISTED = 8  # names a note lists before "and N more"
MAX_NAME = 200  # characters of a file's path in a note
SKIPPED_FOLDERS = ("__MACOSX", "__pycache__", ".ipynb_checkpoints")


@dataclass(frozen=True)
class Upload:
    sources: dict[str, bytes]  # exercise to the module graded
    found: dict[str, str]  # exercise to its file, relative to the upload
    notes: tuple[str, ...]  # for the student: missing, ambiguous or left-out files


def _listing(upload: Path) -> list[Path]:
    """Every file of the upload (links included, not followed), skipping editor folders."""
    files: list[Path] = []
    seen = 0
    for folder, subfolders, names in os.walk(upload):
        subfolders[:] = sorted(d for d in subfolders
                               if not d.startswith(".") and d not in SKIPPED_FOLDERS)
        seen += len(subfolders) + len(names)
        files += [Path(folder) / name for name in sorted(names)]
        if seen > MAX_ENTRIES:
            break
    return files


def _rank(path: Path, upload: Path) -> tuple:
    """The shallowest file first; in one folder, ``.py`` before ``.ipynb``."""
    relative = path.relative_to(upload)
    return len(relative.parts), relative.parent.as_posix(), path.suffix != ".py"


def _shown(path: Path, upload: Path) -> str:
    """A file's path in the upload, as a note quotes it: printable, one line, short (the
    student chose the name)."""
    return printable(path.relative_to(upload).as_posix(), MAX_NAME)


def _names(paths: list[str]) -> str:
    more = len(paths) - MAX_LISTED
    return ", ".join(paths[:MAX_LISTED]) + (f" and {more} more" if more > 0 else "")


def _read(path: Path, exercise: str, shown: str) -> tuple[bytes | None, str]:
    """The module graded for ``exercise`` from ``path`` (batch's reading), and a note."""
    if not path.is_symlink() and path.stat().st_size > MAX_FILE_BYTES:
        return None, (f"{shown} is larger than {MAX_FILE_BYTES // 1024**2} MiB: not read, "
                      "graded as missing")
    read = _read_one(path.parent, exercise)  # .py before .ipynb in one folder, as _rank
    if read is None:
        return None, f"{shown} could not be read"
    source, note = read
    return source, (f"{shown}: {note}" if note and not note.startswith(path.name) else note)


def collect(upload: Path, exercises: tuple[str, ...]) -> Upload:
    """Each exercise's module from the upload folder, and notes on what it holds."""
    upload = Path(upload)
    files = _listing(upload) if upload.is_dir() else []
    wanted = {f"{name}{suffix}": name for name in exercises for suffix in (".py", ".ipynb")}
    candidates: dict[str, list[Path]] = {}
    for path in files:
        if path.name in wanted:
            candidates.setdefault(wanted[path.name], []).append(path)
    sources, found, notes = {}, {}, []
    for exercise in exercises:
        paths = sorted(candidates.get(exercise, []), key=lambda p: _rank(p, upload))
        if not paths:
            notes.append(f"{exercise}: no {exercise}.py or {exercise}.ipynb in your upload; "
                         "its checks score 0.")
            continue
        shown = _shown(paths[0], upload)
        if len(paths) > 1:
            others = [_shown(p, upload) for p in paths[1:]]
            notes.append(f"{exercise}: graded {shown}; also found {_names(others)} (ignored).")
        source, note = _read(paths[0], exercise, shown)
        if note:
            notes.append(f"{exercise}: {note}.")
        if source is not None:
            sources[exercise], found[exercise] = source, shown
    ignored = [_shown(p, upload) for p in files
               if p.suffix in (".py", ".ipynb") and p.name not in wanted]
    if ignored:
        notes.append(f"Not graded (not a file of this assignment): {_names(ignored)}.")
    return Upload(sources, found, tuple(notes))
