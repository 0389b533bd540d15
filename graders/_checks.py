"""The vocabulary grader checks are written in: fail with a hint, describe values.

A hint names what was expected, what came back, and the likely mistake, in one
or two plain sentences. The plugin prefixes it with the exercise and check.
"""

from __future__ import annotations

import math
from typing import Any, NoReturn

from graders._values import Opaque, TensorInfo


class CheckFailed(AssertionError):
    """A check saw a wrong answer; ``hint`` is what the student reads."""

    def __init__(self, hint: str) -> None:
        super().__init__(hint)
        self.hint = hint


class StudentError(Exception):
    """The student's code did not answer: it raised, crashed, hung, or is missing."""

    def __init__(self, hint: str) -> None:
        super().__init__(hint)
        self.hint = hint


def fail(expected: str, got: str, mistake: str = "") -> NoReturn:
    """Fail the current check: 'expected X, got Y. <likely mistake>'."""
    text = f"expected {expected}, got {got}."
    raise CheckFailed(f"{text} {mistake}".strip())


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


def number(value: Any) -> str:
    """Format a number or a small tensor for a hint."""
    if isinstance(value, float):
        return f"{value:.6g}"
    try:
        import torch

        if isinstance(value, torch.Tensor):
            if value.numel() == 1:
                return f"{value.item():.6g}"
            flat = ", ".join(f"{x:.4g}" for x in value.flatten()[:4].tolist())
            return f"[{flat}{', ...' if value.numel() > 4 else ''}]"
    except ImportError:  # pragma: no cover - torch is always there when grading
        pass
    return repr(value)


def expect_tensor(got: Any, *, shape: tuple | None = None, what: str = "the result",
                  mistake: str = "") -> TensorInfo:
    """``got`` must be a plain tensor (and of ``shape`` when given)."""
    if not isinstance(got, TensorInfo):
        fail(f"{what} to be a torch tensor", show(got), mistake or "Return a tensor, not "
             "a NumPy array, a Python number or another type.")
    if shape is not None and tuple(got.shape) != tuple(shape):
        fail(f"{what} of shape {tuple(shape)}", f"shape {got.shape}", mistake)
    return got


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
