"""Per-student variants: the seed of each hidden variant check, drawn from a course secret.

In the instructor's modes, a student's variant checks draw their random inputs from

    seed = HMAC-SHA256(course secret, "<student id>/<exercise>")  (its first 8 bytes)

so two students get different inputs, the same student regraded gets the same ones, and a
student who hard-codes the public answer key learns nothing about them. The secret lives in
the course directory (``.torchgrade/secret``, created on first use, readable by its owner
only; every sandbox that grades with it covers that folder) and never in results: a result
records the variant's public id, a digest that cannot be turned back into the secret or the
seeds. A batch hands its workers each student's ``Drawn`` seeds, not the secret.

Without a student id (a student grading their own work, the student kit, CI), the variant
is ``public``: fixed seeds, the same for everyone.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

SECRET_FOLDER = ".torchgrade"  # in the course directory; children never see it
SECRET_FILE = f"{SECRET_FOLDER}/secret"
PUBLIC = "public"


class SecretMissing(FileNotFoundError):
    """A student id was given but the course has no secret to derive the variant from."""


def course_secret(course: Path, *, create: bool = True) -> bytes:
    """The course's secret (hex in ``<course>/torchgrade-secret``), made on first use."""
    path = Path(course) / SECRET_FILE
    if not path.is_file():
        if not create:
            raise SecretMissing(f"{path} does not exist: grade once with --student in the "
                                "course directory to create it, and keep it with the course")
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as out:
            out.write(secrets.token_hex(32) + "\n")
    text = path.read_text().strip()
    try:
        return bytes.fromhex(text)
    except ValueError:
        raise SecretMissing(f"{path} does not hold a hex secret") from None


@dataclass(frozen=True)
class Variant:
    """Which inputs a student's variant checks draw: ``Variant()`` is the public one."""

    student: str | None = None
    secret: bytes = field(default=b"", repr=False)

    def __post_init__(self) -> None:
        if self.student is not None and (not self.student.strip() or not self.secret):
            raise ValueError("a student's variant needs a non-empty id and the course secret")

    def _mac(self, message: str) -> bytes:
        return hmac.new(self.secret, message.encode(), hashlib.sha256).digest()

    def seed(self, exercise: str) -> int:
        """The seed of ``exercise``'s variant checks (a 63-bit int, for torch and numpy)."""
        if self.student is None:
            digest = hashlib.sha256(f"{PUBLIC}/{exercise}".encode()).digest()
        else:
            digest = self._mac(f"{self.student}/{exercise}")
        return int.from_bytes(digest[:8], "big") >> 1

    @property
    def public_id(self) -> str:
        """What a result records: ``public``, or a digest naming this student's variant."""
        if self.student is None:
            return PUBLIC
        return "v-" + hashlib.sha256(self._mac(f"{self.student}/id")).hexdigest()[:16]

    def drawn(self, exercises: tuple[str, ...]) -> Drawn:
        """The seeds of ``exercises`` without the secret: what a batch worker is given."""
        return Drawn(self.public_id, tuple((name, self.seed(name)) for name in exercises))


@dataclass(frozen=True)
class Drawn:
    """A variant's seeds, drawn in advance (``Variant.drawn``): the secret stays behind."""

    public_id: str
    seeds: tuple[tuple[str, int], ...]

    def seed(self, exercise: str) -> int:
        return dict(self.seeds)[exercise]


def secret_folder(course: Path | None) -> Path:
    """The folder holding the course secret: sandboxes grading with it cover it."""
    return Path(course or Path.cwd()).resolve() / SECRET_FOLDER


def for_student(student: str | None, course: Path | None) -> Variant:
    """The variant of ``student`` in ``course`` (default: the current directory)."""
    if student is None:
        return Variant()
    return Variant(student, course_secret(Path(course or Path.cwd())))
