"""The mistake -> hint vocabulary: which known wrong variant explains a student's result.

A grader lists the mistakes students make as *candidates*: ``(variant, hint)`` pairs,
where ``variant`` is what that mistake would have produced on the check's inputs (a value,
or a function of no arguments computing it, so that only the candidates tried are paid
for). ``first_match`` compares the student's result with each in turn and returns a
``Finding``: the first variant that explains it, and its hint. Every grader says "the
likely mistake" this one way, so a slip gets the same hint wherever it shows.

    finding = first_match([(lambda: y.sum(), "you summed instead of averaging"), ...],
                          got, same=lambda a, b: close(a, b, rtol=1e-4), correct=expected)
    fail("...", "...", finding.hint if finding else "Compute the mean ...")

``correct`` drops the candidates that agree with the right answer on these inputs (a
variant indistinguishable here says nothing about the student's slip).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

_NOTHING = object()


@dataclass(frozen=True)
class Finding:
    """A known mistake that explains what a student's code produced."""

    hint: str  # the likely mistake, in a sentence the student reads
    index: int  # which candidate it was (its position in the grader's table)


def _produce(variant: Any) -> Any:
    return variant() if callable(variant) else variant


def first_match(candidates: Iterable[tuple[Any, str]], got: Any,
                same: Callable[[Any, Any], bool], *, correct: Any = _NOTHING) -> Finding | None:
    """The first candidate ``(variant, hint)`` whose variant is ``same`` as ``got``, or None.

    A variant that raises (it does not apply to these inputs) or that is ``same`` as
    ``correct`` (it cannot be told from the right answer here) is skipped.
    """
    for index, (variant, hint) in enumerate(candidates):
        try:
            value = _produce(variant)
        except (ArithmeticError, LookupError, RuntimeError, TypeError, ValueError):
            continue
        if correct is not _NOTHING and same(value, correct):
            continue
        if same(got, value):
            return Finding(hint, index)
    return None
