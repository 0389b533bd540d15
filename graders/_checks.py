"""The vocabulary grader checks are written in: fail with a hint, describe values.

A hint names what was expected, what came back, and the likely mistake, in one
or two plain sentences. The plugin prefixes it with the exercise and check.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, NoReturn

from graders._wire import Opaque, TensorInfo


class CheckFailed(AssertionError):
    """A check saw a wrong answer; ``hint`` is what the student reads, ``mistake`` its
    likely-mistake part alone (what the report groups checks by)."""

    def __init__(self, hint: str, mistake: str = "") -> None:
        super().__init__(hint)
        self.hint, self.mistake = hint, mistake


class StudentError(Exception):
    """The student's code did not answer: it raised, crashed, hung, or is missing."""

    def __init__(self, hint: str) -> None:
        super().__init__(hint)
        self.hint = hint


def fail(expected: str, got: str, mistake: str = "") -> NoReturn:
    """Fail the current check: 'expected X, got Y. <likely mistake>'."""
    text = f"expected {expected}, got {got}."
    raise CheckFailed(f"{text} {mistake}".strip(), mistake)


def show(value: Any) -> str:
    """A short, student-readable description of a returned value."""
    import numpy as np

    if isinstance(value, (TensorInfo, Opaque)):
        return str(value)
    if isinstance(value, np.ndarray):
        return f"a NumPy array of shape {value.shape}"
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, (int, str)):
        return repr(value)
    if isinstance(value, (list, tuple, dict)):
        return f"a {type(value).__name__} of length {len(value)}"
    return f"a {type(value).__name__}"


# How hints show the grader's expected values. Inputs come from fixed seeds, so an
# expected value printed to within its check's tolerance is the answer itself: a module
# that returns numbers copied from one run's hints would pass. Each number is therefore
# rounded at a power of ten at least ROUNDING times its tolerance (atol + rtol * |x|),
# keeping 1 to DIGITS significant digits, and to fewer still where the rounded value would
# pass the check: the shown value is off by more than the tolerance (unless the value is
# that close to a one-digit number), yet close enough to teach.
DIGITS = 3
ROUNDING = 20
SHOWN = 4  # elements of a tensor or list shown in a hint


def _significant(x: float, tolerance: float, digits: int) -> int:
    """How many significant digits of ``x`` a hint may show under this tolerance."""
    if x == 0:
        return digits
    step = math.ceil(math.log10(ROUNDING * tolerance))  # the last digit shown: 10 ** step
    return max(1, min(digits, math.floor(math.log10(abs(x))) - step + 1))


def _rounded(x: Any, rtol: float, atol: float, digits: int) -> tuple[str, bool]:
    """``x`` as text, and whether the text is coarser than ``x``."""
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        return show(x), False
    if isinstance(x, int) or not math.isfinite(x):
        return repr(x), False
    tolerance = atol + rtol * abs(x)
    if tolerance <= 0:  # the student's own value, or an exact check: plain digits
        text = f"{x:.{digits}g}"
        return text, float(text) != x
    for shown in range(_significant(x, tolerance, digits), 0, -1):
        rounded = float(f"{x:.{shown}g}")
        # A value that happens to sit near a short decimal (4.0700035 at 3 digits) would
        # pass its check when read back: one digit fewer does not.
        if abs(rounded - x) > tolerance:
            break
    return _decimal(rounded, shown), rounded != x


def _decimal(rounded: float, digits: int) -> str:
    """``rounded`` with its ``digits`` significant digits: 600, 0.680, 1.23e-05."""
    if rounded == 0 or not 1e-4 <= abs(rounded) < 1e6:
        return f"{rounded:#.{digits}g}".replace(".e", "e")  # 3.10e-05, 3e-05
    decimals = digits - 1 - math.floor(math.log10(abs(rounded)))
    return f"{rounded:.{max(0, decimals)}f}"


def number(value: Any, *, rtol: float = 1e-5, atol: float = 0.0,
           digits: int | None = None) -> str:
    """An expected number, tensor or list for a hint, rounded so as not to give it away.

    Pass the check's own ``rtol`` and ``atol``: floats are rounded at a power of ten at
    least ``ROUNDING`` times that tolerance (1 to 3 significant digits) and the text says
    "(rounded)". Integers are exact. ``digits`` shows that many digits instead, unmarked:
    for the student's own values, which give nothing away.
    """
    if isinstance(value, TensorInfo):  # a decoded tensor: its values, when it came with any
        value = value.data if value.data is not None else str(value)
    chosen = digits is not None
    digits = digits if chosen else DIGITS
    rtol, atol = (0.0, 0.0) if chosen else (rtol, atol)
    items, whole = _items(value)
    if items is None:
        return value if isinstance(value, str) else repr(value)
    shown = [_rounded(x, rtol, atol, digits) for x in items[:SHOWN]]
    text = ", ".join(t for t, _ in shown)
    if not whole:
        left, right = "()" if isinstance(value, tuple) else "[]"
        text = f"{left}{text}{', ...' if len(items) > SHOWN else ''}{right}"
    return f"{text} (rounded)" if not chosen and any(r for _, r in shown) else text


def _items(value: Any) -> tuple[list | None, bool]:
    """The first SHOWN + 1 numbers in ``value`` (plain Python ones: one more says "...")
    and whether it is a single number."""
    import numpy as np
    import torch

    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, (int, float)):
        return [value], True
    if isinstance(value, np.ndarray):
        return value.ravel()[:SHOWN + 1].tolist(), value.size == 1
    if isinstance(value, torch.Tensor) and not value.is_meta:  # meta tensors hold no values
        return value.detach().flatten()[:SHOWN + 1].cpu().tolist(), value.numel() == 1
    if isinstance(value, (list, tuple)):
        return [x.item() if isinstance(x, np.generic) else x for x in value[:SHOWN + 1]], False
    return None, False


def case_ids(cases: Sequence[Any], *labels: str) -> list[str]:
    """pytest ids for parametrized cases, readable in a hint: ``case_ids([(0, (5, 3))],
    "seed", "")`` gives ``["seed0-5x3"]``. Each field is prefixed with its label (none when
    the label is empty or missing); a shape (a tuple of ints) reads ``5x3``."""
    def field(value: Any) -> str:
        if isinstance(value, tuple) and all(isinstance(x, int) for x in value):
            return "x".join(map(str, value)) or "scalar"
        return getattr(value, "__name__", None) or str(value)

    ids = []
    for case in cases:
        values = case if isinstance(case, (tuple, list)) else (case,)
        names = (*labels, *[""] * len(values))[:len(values)]
        pairs = zip(names, values, strict=True)
        ids.append("-".join(f"{name}{field(value)}" for name, value in pairs))
    return ids


def expect_tensor(got: Any, *, shape: tuple | None = None, what: str = "the result",
                  mistake: str = "") -> TensorInfo:
    """``got`` must be a plain tensor (and of ``shape`` when given)."""
    if not isinstance(got, TensorInfo):
        fail(f"{what} to be a torch tensor", show(got), mistake or "Return a tensor, not "
             "a NumPy array, a Python number or another type.")
    if shape is not None and tuple(got.shape) != tuple(shape):
        fail(f"{what} of shape {tuple(shape)}", f"shape {got.shape}", mistake)
    return got


def expect_count(got: Any, count: int, *, what: str) -> list:
    """A probe's results, one per case: a list or tuple of exactly ``count`` items.

    Parents zip these with their cases (``strict=True``); a short or long list can only
    come from code that changed the probe in the child, so it fails the check.
    """
    if not isinstance(got, (list, tuple)) or len(got) != count:
        fail(f"{count} results from {what}, one per case", show(got),
             "The grader's probe runs in the same process as your code, and came back with "
             "something else than one result per case: leave the grader's code alone.")
    return list(got)


def expect_float(got: Any, *, what: str = "the result", mistake: str = "") -> float:
    """``got`` must be a real Python (or NumPy) scalar."""
    if isinstance(got, bool) or not isinstance(got, (int, float)):
        fail(f"{what} to be a Python float", show(got), mistake or "Convert with float(...) "
             "or .item().")
    if not math.isfinite(got):
        fail(f"{what} to be a finite number", repr(got), mistake)
    return float(got)


def close(got: float, expected: float, *, rtol: float = 1e-5, atol: float = 1e-8) -> bool:
    """Scalar closeness with an explicit tolerance, as ``math.isclose`` plus ``atol``."""
    return math.isfinite(got) and abs(got - expected) <= atol + rtol * abs(expected)


def tensors_close(got: Any, expected: Any, *, rtol: float = 1e-5, atol: float = 1e-6) -> bool:
    """Elementwise closeness of two CPU tensors of the same shape (dtype-agnostic)."""
    import torch

    if got is None or tuple(got.shape) != tuple(expected.shape):
        return False
    return bool(torch.allclose(got.double(), expected.double(), rtol=rtol, atol=atol))
