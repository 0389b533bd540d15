"""graders.number: hints show expected values too coarsely to pass the check they come from."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
import torch

from graders import close, number, tensors_close

# The tolerances of value checks: shown with 3 digits, never within them.
TIGHT = [(1e-6, 0.0), (1e-5, 0.0), (1e-5, 1e-8), (1e-6, 1e-9)]
# Every tolerance graders use: fewer digits as it loosens.
TOLERANCES = [*TIGHT, (1e-5, 1e-7), (1e-4, 1e-6), (1e-3, 0.0), (0.0, 1e-3), (0.0, 0.02)]
NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?|nan|-?inf")


def _parsed(text: str) -> list[float]:
    """The numbers a hint shows, as a student (or a lookup table) would read them back."""
    return [float(x) for x in NUMBER.findall(text.removesuffix(" (rounded)"))]


def _values(seed: int, count: int = 300) -> list[float]:
    """Random values of random sign and magnitude."""
    rng = np.random.default_rng(seed)
    return [float(rng.choice([-1, 1]) * 10 ** rng.uniform(-7, 6)) for _ in range(count)]


def _one_digit_passes(x: float, rtol: float, atol: float) -> bool:
    """x is within the tolerance of a one-digit number: no rounding can hide it."""
    return close(float(f"{x:.1g}"), x, rtol=rtol, atol=atol)


@pytest.mark.parametrize(("rtol", "atol"), TOLERANCES)
def test_shown_value_never_passes_its_check(rtol, atol):
    values = [x for x in _values(0) if not _one_digit_passes(x, rtol, atol)]
    assert len(values) > 100
    for x in values:
        text = number(x, rtol=rtol, atol=atol)
        [shown] = _parsed(text)
        assert not close(shown, x, rtol=rtol, atol=atol), f"{text} passes for {x!r}"
        assert text.endswith(" (rounded)")


def test_tight_tolerances_show_three_digits_of_awkward_values():
    """Values off every 3-digit decimal by a tenth of a step or more keep 3 digits."""
    for x in _values(1):
        step = 10.0 ** (math.floor(math.log10(abs(x))) - 2)
        if 0.1 <= (abs(x) / step) % 1 <= 0.9:
            for rtol, atol in TIGHT:
                text = number(x, rtol=rtol, atol=atol * abs(x))
                assert float(text.removesuffix(" (rounded)")) == float(f"{x:.3g}"), text


def _digits(x: float, text: str) -> int:
    """The significant digits text shows of x: those written, trailing zeros included
    (0.680), or for a whole number without a point (600), the fewest that round x to it."""
    shown = text.removesuffix(" (rounded)")
    mantissa = shown.lstrip("-").split("e")[0]
    if "." in mantissa:
        return len(mantissa.replace(".", "").lstrip("0"))
    return next(d for d in range(1, 18) if float(f"{x:.{d}g}") == float(shown))


@pytest.mark.parametrize(("rtol", "atol"), TOLERANCES)
def test_shown_value_is_at_least_twenty_tolerances_coarse(rtol, atol):
    """The last digit shown is worth at least 20 times the tolerance, or it is the first."""
    for x in _values(2):
        digits = _digits(x, number(x, rtol=rtol, atol=atol))
        unit = 10.0 ** (math.floor(math.log10(abs(x))) - digits + 1)
        assert digits == 1 or unit >= 20 * (atol + rtol * abs(x)) * (1 - 1e-9), (x, digits)
        assert 1 <= digits <= 3


def test_tensor_hint_fails_tensors_close():
    expected = torch.randn(4, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
    text = number(expected, rtol=1e-5, atol=1e-6)
    assert text.endswith(" (rounded)")
    assert not tensors_close(torch.tensor(_parsed(text), dtype=torch.float64), expected)


def test_shows_what_it_is():
    assert number(0.41234567) == "0.412 (rounded)"
    assert number(0.67969962) == "0.680 (rounded)"  # the trailing zero is a digit shown
    assert number(602.078, rtol=1e-4) == "600 (rounded)"
    assert number(0.5) == "0.5"  # exact: nothing was rounded
    assert number(4.0700035) == "4.1 (rounded)"  # 4.07 would pass rtol=1e-5
    assert number(7) == "7"
    assert number(torch.tensor([1, 2, 3, 4, 5])) == "[1, 2, 3, 4, ...]"
    assert number(torch.tensor(2.345678, dtype=torch.float64)) == "2.35 (rounded)"
    assert number(np.float32(0.1234567)) == "0.123 (rounded)"
    assert number([1.23456, 2.5, 3.0], rtol=0, atol=1e-3) == "[1.2, 2, 3] (rounded)"
    assert number(9.87654, rtol=1e-4) == "9.9 (rounded)"
    assert number(float("nan")) == "nan"


def test_student_values_keep_their_digits():
    assert number(0.41234567, digits=6) == "0.412346"
    assert number(torch.tensor([0.123456, 1.0]), digits=4) == "[0.1235, 1]"
