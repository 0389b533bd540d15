"""Pictures for the HTML report, as plain data a grader check records in the parent.

A check records a figure from values its probes already brought back through the wire
(decoded and bounded there): numbers, shapes and short labels, never a student object.
Every constructor here bounds what it keeps again (lengths, labels, finite floats), so a
report never draws more than ``MAX_POINTS`` points a series, whatever a child sent.

Drawing is the report's job (``graders._html``): these are plain frozen dataclasses, so
grading without ``--html`` imports no plotting code at all.

Kinds, one per picture a person would rather look at than read:

- ``LossCurves``: the student's loss per epoch (or step) against the reference's, on the
  same seeds and data, with the epoch where the student's run diverges or stalls marked
  (``departure``); ``training``, ``logistic``, ``digits``.
- ``ShapeTable``: layer by layer, the expected output shape and the student's; the first
  wrong layer is the one to highlight; ``net``.
- ``Gradients``: per parameter, the student's gradient against autograd's; ``backward``,
  ``autograd``.
- ``Softmax``: softmax on large logits, the student's outputs against the stable ones (a
  ``None`` is ``nan``/``inf``); ``classification``.
"""

from __future__ import annotations

import itertools
import math
import numbers
from collections.abc import Iterable
from dataclasses import dataclass

from graders._text import printable

MAX_POINTS = 500  # values kept per series
MAX_ROWS = 32  # rows of a table, parameters of a gradient figure
LABEL = 80  # characters of a title or label
PER_EXERCISE = 6  # figures one exercise may record (parametrized checks record once each)


def label(text: object) -> str:
    return printable(str(text), LABEL)


def finite(value: object) -> float | None:
    """``value`` as a finite float, or None: not a real number (a bool, a string, a tensor's
    description), ``nan``, ``inf``, or an int too large for a float."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None
    try:
        value = float(value)
    except (OverflowError, TypeError, ValueError):  # 10**400; a Real whose float() fails
        return None
    return value if math.isfinite(value) else None


def series(values: Iterable[object], cap: int = MAX_POINTS) -> tuple[float | None, ...]:
    """Floats, at most ``cap``; anything not a finite real number becomes ``None`` (drawn as
    a break in the line, and as "not a number")."""
    return tuple(finite(value) for value in itertools.islice(values, cap))


def shape(value: object) -> tuple[int, ...] | None:
    """A shape as a tuple of small ints, or None (the student's layer gave no tensor)."""
    if not isinstance(value, (tuple, list)) or len(value) > 8:
        return None
    if not all(isinstance(d, int) and not isinstance(d, bool) and 0 <= d < 2**40 for d in value):
        return None
    return tuple(value)


@dataclass(frozen=True)
class LossCurves:
    title: str  # what was trained, e.g. "training loss per epoch (seed 0)"
    student: tuple[float | None, ...]
    reference: tuple[float | None, ...]
    x_label: str = "epoch"
    departure: int | None = None  # the index to mark, or None: the curves agree
    why: str = ""  # "diverges", "stalls", "not a number", "departs", "ends early", "runs on"

    @classmethod
    def of(cls, title: str, student: Iterable[object], reference: Iterable[object],
           x_label: str = "epoch", rtol: float = 0.05) -> LossCurves:
        got, expected = series(student), series(reference)
        at, why = departure(got, expected, rtol)
        return cls(label(title), got, expected, label(x_label), at, why)


def departure(got: tuple[float | None, ...], expected: tuple[float | None, ...],
              rtol: float) -> tuple[int | None, str]:
    """Where the student's curve leaves the reference's, and how: the first value that is
    not a number; else the first off the reference by more than ``rtol`` relative, labelled
    "diverges" when from there the student's curve ends above its start or grows past 1.5
    times it, "stalls" when it stays flat above the reference, "departs" otherwise; else where
    one curve ends before the other ("ends early", "runs on": an epoch count that is off);
    else ``(None, "")``. Without a reference value to compare with, only a value that is not a
    number, a curve that grows past 1.5 times its start, or a length is marked."""
    for index, value in enumerate(got):
        if value is None:
            return index, "not a number"
    if not got:
        return (0, "ends early") if expected else (None, "")
    start = got[0]
    for index, (value, wanted) in enumerate(zip(got, expected, strict=False)):
        if wanted is None or abs(value - wanted) <= rtol * abs(wanted) + 1e-8:
            continue
        later = got[index:]
        if _grows(later, start, rtol):
            return index, "diverges"
        flat = len(later) > 1 and max(later) - min(later) <= rtol * max(abs(later[0]), 1e-8)
        return index, "stalls" if flat and value > wanted else "departs"
    if not any(wanted is not None for wanted in expected) and _grows(got, start, rtol):
        return next(i for i, value in enumerate(got) if value > start), "diverges"
    if expected and len(got) != len(expected):
        return min(len(got), len(expected)), "ends early" if len(got) < len(expected) else (
            "runs on")
    return None, ""


def _grows(values: tuple[float, ...], start: float, rtol: float) -> bool:
    """A loss that ends above where it started, or grows past 1.5 times it on the way."""
    return (values[-1] - start > rtol * abs(start) + 1e-12
            or max(values) > abs(start) * 1.5 + 1e-12)


@dataclass(frozen=True)
class ShapeRow:
    layer: str  # "conv1", "pool", ...
    expected: tuple[int, ...] | None
    got: tuple[int, ...] | None  # None: the student's network gave no tensor here

    @property
    def wrong(self) -> bool:
        return self.expected != self.got


@dataclass(frozen=True)
class ShapeTable:
    title: str
    rows: tuple[ShapeRow, ...]

    @classmethod
    def of(cls, title: str, rows: Iterable[tuple[str, object, object]]) -> ShapeTable:
        kept = tuple(ShapeRow(label(layer), shape(expected), shape(got))
                     for layer, expected, got in itertools.islice(rows, MAX_ROWS))
        return cls(label(title), kept)

    @property
    def first_wrong(self) -> int | None:
        return next((i for i, row in enumerate(self.rows) if row.wrong), None)


@dataclass(frozen=True)
class Gradients:
    title: str
    parameters: tuple[str, ...]  # one name per value, e.g. "w[0]", "b"
    student: tuple[float | None, ...]
    reference: tuple[float | None, ...]

    @classmethod
    def of(cls, title: str, named: Iterable[tuple[str, object, object]]) -> Gradients:
        rows = list(itertools.islice(named, MAX_ROWS))
        return cls(label(title), tuple(label(name) for name, _, _ in rows),
                   series(got for _, got, _ in rows), series(want for _, _, want in rows))


@dataclass(frozen=True)
class Softmax:
    title: str
    logits: tuple[float | None, ...]
    student: tuple[float | None, ...]  # None: nan or inf came back
    reference: tuple[float | None, ...]

    @classmethod
    def of(cls, title: str, logits: Iterable[object], student: Iterable[object],
           reference: Iterable[object]) -> Softmax:
        return cls(label(title), series(logits, MAX_ROWS), series(student, MAX_ROWS),
                   series(reference, MAX_ROWS))

    @property
    def stable(self) -> bool:
        """Every probability the student's softmax gave is a finite number (and it gave some)."""
        return bool(self.student) and all(value is not None for value in self.student)


Figure = LossCurves | ShapeTable | Gradients | Softmax
