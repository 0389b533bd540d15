"""The answer key: what the reference returned for the public checks' inputs, and its stand-in.

Graders never import ``solutions``. They hold a stand-in, ``reference =
answer_key("mse")``, and call it like the module (``reference.mse(y_pred, y)``,
``reference.EPOCHS``). Where the stand-in gets its answers depends on the kit:

- **live** (the instructor's kit, ``solutions/`` present): it calls the reference;
- **recording** (``python -m graders student-kit``): it calls the reference and keeps each
  plain-data result under a fingerprint of the call's name and arguments;
- **replay** (the student kit, ``graders/key.pt`` and no ``solutions/``): it returns the
  recorded result for the same call, bit for bit. A call that was never recorded (its
  arguments came from the student's own results, or its result is an object such as a model)
  raises ``InstructorOnly``: such checks are ``hidden``, and run only where the reference is.

The key is saved with ``torch.save`` and read with ``torch.load(weights_only=True)``: tensors,
numbers, strings and containers of them, nothing that unpickles code. It reveals the public
checks' expected values by design; hidden and variant checks are never recorded.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graders._layout import GRADERS, SOLUTIONS

KEY_FILE = GRADERS / "key.pt"
FORMAT = 1
_NDARRAY = "__ndarray__"  # an encoded numpy array: {_NDARRAY: tensor}


class InstructorOnly(LookupError):
    """The answer key has no entry for this call: only the reference could answer it."""


class Unrecordable(TypeError):
    """An argument or a result that is not plain data (a model, a generator, a dataset)."""


def fingerprint(value: Any) -> str:
    """A digest of plain data, equal for equal values: tensors and arrays by dtype, shape and
    bytes; floats by their exact bits. Anything else raises ``Unrecordable``."""
    digest = hashlib.sha256()
    _feed(digest, value)
    return digest.hexdigest()[:32]


def _feed(digest, value: Any) -> None:
    import numpy as np
    import torch

    if value is None or isinstance(value, (bool, int, str)):
        digest.update(f"{type(value).__name__}:{value!r};".encode())
    elif isinstance(value, float):
        digest.update(b"float:" + struct.pack("<d", value))
    elif isinstance(value, (list, tuple)):
        digest.update(f"{type(value).__name__}[{len(value)}]".encode())
        for item in value:
            _feed(digest, item)
    elif isinstance(value, dict):
        digest.update(f"dict[{len(value)}]".encode())
        for name in sorted(value, key=repr):
            _feed(digest, name)
            _feed(digest, value[name])
    elif isinstance(value, (torch.Tensor, np.ndarray, np.generic)):
        array = (value.detach().cpu().contiguous().numpy() if isinstance(value, torch.Tensor)
                 else np.ascontiguousarray(value))
        digest.update(f"{type(value).__name__}:{array.dtype}:{array.shape};".encode())
        digest.update(array.tobytes())
    elif isinstance(value, torch.device):
        digest.update(f"device:{value};".encode())
    elif isinstance(value, torch.dtype):
        digest.update(f"dtype:{value};".encode())
    else:
        raise Unrecordable(type(value).__name__)


def encode(value: Any) -> Any:
    """A copy of a plain-data result that ``torch.load(weights_only=True)`` reads back."""
    import numpy as np
    import torch

    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, torch.Tensor):
        return value.detach().cpu().clone()
    if isinstance(value, (np.ndarray, np.generic)):
        return {_NDARRAY: torch.from_numpy(np.array(value))}
    if isinstance(value, (list, tuple)):
        items = [encode(item) for item in value]
        return tuple(items) if isinstance(value, tuple) else items
    if isinstance(value, dict) and all(isinstance(name, (str, int)) for name in value):
        return {name: encode(item) for name, item in value.items()}
    raise Unrecordable(type(value).__name__)


def decode(value: Any) -> Any:
    """A fresh copy of a recorded result (a check may change what it is given)."""
    import torch

    if isinstance(value, torch.Tensor):
        return value.clone()
    if isinstance(value, dict) and set(value) == {_NDARRAY}:
        array = value[_NDARRAY].numpy().copy()
        return array[()] if array.ndim == 0 else array
    if isinstance(value, (list, tuple)):
        items = [decode(item) for item in value]
        return tuple(items) if isinstance(value, tuple) else items
    if isinstance(value, dict):
        return {name: decode(item) for name, item in value.items()}
    return value


@dataclass(frozen=True)
class AnswerKey:
    """Recorded answers, and what a student kit says about the checks it does not hold."""

    answers: dict = field(default_factory=dict)  # "exercise:name[:call fingerprint]" -> value
    callables: dict = field(default_factory=dict)  # exercise -> names the graders called
    hidden_points: dict = field(default_factory=dict)  # exercise -> points of hidden checks

    def save(self, path: Path) -> None:
        import torch

        torch.save({"format": FORMAT, "answers": self.answers,
                    "callables": {k: sorted(v) for k, v in self.callables.items()},
                    "hidden_points": self.hidden_points}, path)

    @classmethod
    def load(cls, path: Path) -> AnswerKey:
        import torch

        data = torch.load(path, weights_only=True)
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError(f"{path} is not a torchgrade answer key (format {FORMAT})")
        return cls(dict(data["answers"]), {k: set(v) for k, v in data["callables"].items()},
                   dict(data["hidden_points"]))


@dataclass
class _Mode:
    kind: str  # "live", "recording" or "replay"
    key: AnswerKey | None = None


_mode: list[_Mode] = []  # the innermost ``using`` wins; none: decided by the kit's files


def current() -> _Mode:
    if _mode:
        return _mode[-1]
    if KEY_FILE.is_file() and not SOLUTIONS.is_dir():  # a student kit
        _mode.append(_Mode("replay", AnswerKey.load(KEY_FILE)))
        return _mode[-1]
    return _Mode("live")


@contextlib.contextmanager
def using(kind: str, key: AnswerKey | None = None):
    """Grade with the reference (``live``), recording into ``key``, or replaying ``key``."""
    _mode.append(_Mode(kind, key))
    try:
        yield _mode[-1]
    finally:
        _mode.pop()


class Reference:
    """Stands in for ``solutions.<exercise>`` in a grader (see the module docstring)."""

    def __init__(self, exercise: str) -> None:
        self._exercise = exercise

    @property
    def available(self) -> bool:
        """Whether the reference itself runs here (the instructor's modes)."""
        return current().kind != "replay"

    @property
    def directory(self) -> Path | None:
        """The folder of the reference's files where it runs here, else None."""
        return SOLUTIONS if self.available else None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        mode, slot = current(), f"{self._exercise}:{name}"
        if mode.kind == "replay":
            if name in mode.key.callables.get(self._exercise, ()):
                return lambda *args, **kwargs: _replay(mode.key, slot, args, kwargs)
            if slot in mode.key.answers:
                return decode(mode.key.answers[slot])
            raise InstructorOnly(f"the answer key has no `{slot}`")
        value = getattr(importlib.import_module(f"solutions.{self._exercise}"), name)
        if mode.kind == "recording":
            if callable(value):
                mode.key.callables.setdefault(self._exercise, set()).add(name)
                return _recorder(mode.key, slot, value)
            with contextlib.suppress(Unrecordable):
                mode.key.answers[slot] = encode(value)
        return value


def record_constants(key: AnswerKey, exercise: str) -> None:
    """Every public plain-data constant of the reference (``EPOCHS``, ``LEARNING_RATE``):
    a grader may read one at import time, or only on a failure path, and the student kit must
    still answer it."""
    module = importlib.import_module(f"solutions.{exercise}")
    for name, value in vars(module).items():
        if name.isupper() and not name.startswith("_"):
            with contextlib.suppress(Unrecordable):
                key.answers[f"{exercise}:{name}"] = encode(value)


def _call_slot(slot: str, args: tuple, kwargs: dict) -> str:
    return f"{slot}:{fingerprint((args, kwargs))}"


def _recorder(key: AnswerKey, slot: str, function):
    def record(*args, **kwargs):
        try:
            call = _call_slot(slot, args, kwargs)
        except Unrecordable:
            call = None
        result = function(*args, **kwargs)
        if call is not None:
            with contextlib.suppress(Unrecordable):
                key.answers[call] = encode(result)
        return result

    return record


def _replay(key: AnswerKey, slot: str, args: tuple, kwargs: dict) -> Any:
    try:
        call = _call_slot(slot, args, kwargs)
    except Unrecordable as error:
        raise InstructorOnly(f"`{slot}` was called with a {error}") from None
    if call not in key.answers:
        raise InstructorOnly(f"the answer key has no `{slot}` for these arguments")
    return decode(key.answers[call])


def answer_key(exercise: str) -> Reference:
    """The stand-in for ``solutions.<exercise>`` that a grader calls its ``reference``."""
    return Reference(exercise)
