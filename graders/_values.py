"""What a child may send back, decoded and validated in the parent.

Anything outside the closed set below becomes ``Opaque``: the parent never
calls a method of an object the student made.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class TensorInfo:
    """A tensor the student returned: its metadata, and its values when it has any."""

    shape: tuple[int, ...]
    dtype: str
    device: str
    requires_grad: bool
    is_leaf: bool
    grad_fn: str | None
    parameter: bool
    data: Any  # a CPU torch.Tensor, or None for meta and oversized tensors

    def __str__(self) -> str:
        dtype = self.dtype.removeprefix("torch.")
        return f"a tensor of shape {self.shape} ({dtype}, on {self.device})"


@dataclass(frozen=True)
class Opaque:
    """An object of a type the grader does not read (including Tensor look-alikes)."""

    type: str
    repr: str

    def __str__(self) -> str:
        return f"an object of type {self.type}"


@dataclass(frozen=True)
class Returned:
    value: Any


@dataclass(frozen=True)
class Raised:
    """The student's code raised (SystemExit included)."""

    type: str
    message: str
    where: str


@dataclass(frozen=True)
class Missing:
    """The submission lacks a function or class the exercise asks for."""

    message: str


class BadResult(ValueError):
    """The child sent something outside the protocol."""


def _is_int(value: Any) -> bool:
    return type(value) is int


def _tensor(raw: dict) -> TensorInfo:
    import torch

    data = raw.get("data")
    if data is not None and type(data) is not torch.Tensor:
        raise BadResult("tensor data")
    shape = raw["shape"]
    if type(shape) is not list or not all(_is_int(n) for n in shape):
        raise BadResult("tensor shape")
    return TensorInfo(
        shape=tuple(shape),
        dtype=str(raw["dtype"]),
        device=str(raw["device"]),
        requires_grad=bool(raw["requires_grad"]),
        is_leaf=bool(raw["is_leaf"]),
        grad_fn=None if raw["grad_fn"] is None else str(raw["grad_fn"]),
        parameter=bool(raw["parameter"]),
        data=data,
    )


def _ndarray(raw: dict) -> Any:
    import numpy as np

    if raw.get("data") is None:
        return Opaque(f"numpy.ndarray of shape {tuple(raw['shape'])}", "")
    return np.asarray(raw["data"].numpy(), dtype=str(raw["dtype"]))


_SCALARS = {"bool": bool, "int": int, "float": float, "str": str}


def decode_value(raw: Any) -> Any:
    if type(raw) is not dict or "k" not in raw:
        raise BadResult("node")
    kind = raw["k"]
    if kind == "none":
        return None
    if kind in _SCALARS:
        if type(raw["v"]) is not _SCALARS[kind]:
            raise BadResult(kind)
        return raw["v"]
    if kind == "npscalar":
        return raw["v"] if type(raw["v"]) in (int, float) else Opaque("numpy scalar", "")
    if kind == "tensor":
        return _tensor(raw)
    if kind == "ndarray":
        return _ndarray(raw)
    if kind in ("list", "tuple"):
        items = [decode_value(item) for item in raw["items"]]
        return items if kind == "list" else tuple(items)
    if kind == "dict":
        return {_key(decode_value(k)): decode_value(v) for k, v in raw["items"]}
    if kind == "object":
        return Opaque(str(raw["type"]), str(raw["repr"]))
    raise BadResult(kind)


def _key(key: Any) -> Any:
    return key if isinstance(key, (str, int, float, bool, tuple)) or key is None else str(key)


def decode_outcome(raw: Any) -> Any:
    """A child's result file, as ``Returned``, ``Raised`` or ``Missing``."""
    from graders._sandbox import Crashed

    try:
        kind = raw["k"]
        if kind == "returned":
            return Returned(decode_value(raw["value"]))
        if kind == "raised":
            return Raised(str(raw["type"]), str(raw["message"]), str(raw["where"]))
        if kind == "not-defined":
            return Missing(str(raw["message"]))
    except (BadResult, KeyError, TypeError, AttributeError, ValueError):
        pass
    return Crashed("returned a result outside the grading protocol")
