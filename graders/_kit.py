"""The kit's own files, hashed: what grading trusts must not change while it grades.

A grading run (``autograde``, ``batch``) takes a ``KitDigest`` before it touches
any student work, and calls ``verify`` before each step that reads the kit again
or writes grades (``batch``: at the end of the run). A difference means something
rewrote the graders or the reference solutions mid-run: the run refuses to go on
rather than record grades decided by a changed kit.

Covered: every ``*.py`` under ``graders/`` and ``solutions/`` (a new file
counts too: pytest would load a new ``graders/conftest.py``), the graders'
``pytest.ini`` and ``pyproject.toml``, and the installed versions of torchgrade
and torch. Not covered: bytecode caches (``__pycache__``, rewritten by Python
itself) and the other installed packages.

``KitDigest.fingerprint`` sums a digest up in 16 hex digits that do not depend on
where the kit lives: ``batch`` files each result under it (a changed kit regrades)
and its workers compare theirs with the batch's (a different kit refuses to grade).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from graders._layout import ROOT

PATTERNS = ("graders/**/*.py", "solutions/**/*.py", "graders/pytest.ini", "pyproject.toml")
PACKAGES = ("torchgrade", "torch")  # their installed versions are part of the kit


class KitChanged(RuntimeError):
    """The kit's files differ from the digest taken at the start of the run."""

    def __init__(self, files: tuple[str, ...], *, after: bool = False) -> None:
        self.files, self.after = files, after
        shown = ", ".join(files[:20]) + (f" and {len(files) - 20} more" if len(files) > 20 else "")
        consequence = (
            "the grades just recorded were decided by the kit loaded before the change; "
            "check them, then"
            if after
            else "refusing to record grades."
        )
        super().__init__(
            f"the kit's files changed during grading: {shown}; {consequence} "
            "Restore the files (git status, git diff), find out what changed them, and grade "
            "again."
        )


@dataclass(frozen=True)
class KitDigest:
    root: Path
    files: tuple[tuple[str, str], ...]  # (path relative to root, sha256), sorted by path
    versions: tuple[tuple[str, str], ...] = ()  # (package, installed version), as PACKAGES

    def changed(self, other: KitDigest) -> tuple[str, ...]:
        """Paths added, removed or modified between the two digests, sorted; then the
        packages whose installed version differs, as ``torch (version)``."""
        mine, theirs = dict(self.files), dict(other.files)
        paths = mine.keys() | theirs.keys()
        files = sorted(path for path in paths if mine.get(path) != theirs.get(path))
        mine, theirs = dict(self.versions), dict(other.versions)
        packages = sorted(p for p in mine.keys() | theirs.keys() if mine.get(p) != theirs.get(p))
        return (*files, *(f"{package} (version)" for package in packages))

    @property
    def fingerprint(self) -> str:
        """16 hex digits: equal for equal files and versions, wherever the kit is installed."""
        digest = hashlib.sha256()
        for package, version in self.versions:
            digest.update(f"{package}={version}\n".encode())
        for path, sha in self.files:
            digest.update(f"{path}\n{sha}\n".encode())
        return digest.hexdigest()[:16]


def _sha256(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as error:  # unreadable now: a change if it was readable before
        return f"unreadable: {type(error).__name__}"


def _kit_files(root: Path) -> list[Path]:
    found = {path for pattern in PATTERNS for path in root.glob(pattern)}
    return sorted(path for path in found if "__pycache__" not in path.parts and not path.is_dir())


def _versions() -> tuple[tuple[str, str], ...]:
    from importlib import metadata

    found = []
    for package in PACKAGES:
        try:
            found.append((package, metadata.version(package)))
        except metadata.PackageNotFoundError:
            found.append((package, "not installed"))
    return tuple(found)


def kit_digest(root: Path = ROOT) -> KitDigest:
    """The sha256 of each of the kit's files under ``root``, and the installed versions
    of ``PACKAGES`` (a few ms: cheap to repeat)."""
    root = Path(root).resolve()
    return KitDigest(
        root,
        tuple((path.relative_to(root).as_posix(), _sha256(path)) for path in _kit_files(root)),
        _versions(),
    )


def verify(expected: KitDigest, *, after: bool = False) -> None:
    """Raise ``KitChanged`` (naming the files) unless the kit still matches ``expected``.

    ``after``: the grades are already written (the message says so).
    """
    changed = expected.changed(kit_digest(expected.root))
    if changed:
        raise KitChanged(changed, after=after)
