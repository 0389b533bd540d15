"""The child/parent wire format: one owner for what crosses the sandbox boundary.

Parent to fork server: a pickled ``ProbeRequest`` (trusted direction only).
Child to parent: a result file in a closed binary format, written by
``encode_outcome`` and read by ``decode_outcome``::

    MAGIC, then one outcome tag:
      RETURNED value | RAISED text text text | MISSING text | TOO_LARGE
    value := NONE | TRUE | FALSE | INT i64 | FLOAT f64 | TEXT
           | LIST/TUPLE u32 value* | DICT u32 (value value)*
           | TENSOR flags text(dtype) text(device) text(grad_fn) shape [u64 bytes]
           | NDARRAY text(dtype) shape [u64 bytes] | NPSCALAR text(type) value
           | OBJECT text(type) text(repr)
    text := u32 length, UTF-8;  shape := u8 ndim, u64 dims

No pickle, no compression and no shared references: every node costs its own
bytes, so the decoder's caps on depth, nodes, tensor elements, text and wall
time bound the parent's work whatever the child (or a forged file) wrote.
Tensor data must be exactly ``numel * itemsize`` bytes of its stated dtype.
"""

from __future__ import annotations

import math
import os
import struct
import time
from dataclasses import dataclass, field
from typing import Any

from graders._text import printable

MAGIC = b"TGW1"
# Outcome tags.
RETURNED, RAISED, MISSING, TOO_LARGE = b"R", b"E", b"M", b"L"
# Value tags.
NONE, TRUE, FALSE, INT, FLOAT, TEXT = b"n", b"t", b"f", b"i", b"d", b"s"
LIST, TUPLE, DICT = b"l", b"u", b"m"
TENSOR, NDARRAY, NPSCALAR, OBJECT = b"T", b"A", b"N", b"o"
# TENSOR flag bits.
REQUIRES_GRAD, IS_LEAF, PARAMETER, HAS_DATA = 1, 2, 4, 8

U8, U32, U64, I64, F64 = (struct.Struct(f) for f in ("<B", "<I", "<Q", "<q", "<d"))

# What a child sends at most (the child's own caps; student code may ignore them).
CHILD_TENSOR_ELEMENTS = 1_000_000
CHILD_TEXT = 2_000
CHILD_ITEMS = 10_000
CHILD_DEPTH = 8
CHILD_NODES = 200_000

TENSOR_DTYPES = (
    "float64", "float32", "float16", "bfloat16", "complex64", "complex128",
    "int64", "int32", "int16", "int8", "uint8", "bool",
)
NDARRAY_DTYPES = (
    "float64", "float32", "float16", "int64", "int32", "int16", "int8",
    "uint64", "uint32", "uint16", "uint8", "bool",
)


@dataclass(frozen=True)
class Limits:
    """What the parent reads at most from one result, whatever it claims."""

    depth: int = 12
    nodes: int = 250_000
    elements: int = 16_000_000  # tensor and array elements, all together
    text: int = CHILD_TEXT
    bytes: int = 160 * 1024**2
    seconds: float = 10.0


# --- what the parent sends ------------------------------------------------------

# Framing on the parent -> fork server -> jail pipes: a u64 length, then a pickled
# ProbeRequest (trusted direction only); answers are signed i64 numbers.
HEADER = struct.Struct("<Q")
ANSWER = struct.Struct("<q")
TIMED_OUT = -1  # status: the jail killed the probe at its deadline
JAIL_DIED = -2  # status: the jail itself ended (killed, or it crashed)


def read_exact(fd: int, size: int) -> bytes:
    """``size`` bytes from ``fd``, or b"" at end of input."""
    chunks = []
    while size:
        chunk = os.read(fd, size)
        if not chunk:
            return b""
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def read_message(fd: int) -> bytes:
    """One length-prefixed message, or b"" at end of input."""
    header = read_exact(fd, HEADER.size)
    return read_exact(fd, HEADER.unpack(header)[0]) if header else b""


def write_message(fd: int, payload: bytes) -> None:
    """``payload``, length-prefixed, whole (a pipe may take a large one in parts)."""
    view = memoryview(HEADER.pack(len(payload)) + payload)
    while view:
        view = view[os.write(fd, view):]


@dataclass(frozen=True)
class ProbeRequest:
    """One probe: run ``probe(module, *args, **kwargs)`` on one exercise file.

    ``box`` is an empty directory of the parent's for this probe alone: the
    child's output, working directory and result live there. ``hidden`` lists
    directories the child must not see; ``rebound`` those under them it still
    needs (Python itself); ``sockets`` filesystem sockets to cover.
    """

    directory: str
    exercise: str
    probe: str  # "module:function", importable in the fork server
    box: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    hidden: tuple = ()
    rebound: tuple = ()
    sockets: tuple = ()
    cpu_seconds: int = 60
    max_file_bytes: int = 64 * 1024 * 1024
    timeout: float = 10.0  # wall time, enforced by the jail
    count: int = 0  # this probe's number: names its result and output files in the box
    needs_meta: bool = False  # warm the meta device in the fork server first
    seed: int = 0  # the probe's random state: different per probe, the same on a regrade

    @property
    def jail(self) -> tuple:
        """Requests with the same key share a jail (one per submission and box)."""
        return (self.directory, self.box, self.hidden, self.rebound, self.sockets)

    def result_path(self) -> str:
        return os.path.join(self.box, f"result-{self.count}.bin")

    def output_path(self) -> str:
        return os.path.join(self.box, f"output-{self.count}.txt")


# --- what the parent reads back -------------------------------------------------


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


@dataclass(frozen=True)
class Crashed:
    """The child ended without a readable result: killed, timed out, exited, or too large."""

    reason: str
    output: str = ""


TOO_LARGE_REASON = "returned a result too large to read"
OUTSIDE_REASON = "returned a result outside the grading protocol"


class BadResult(ValueError):
    """The result file breaks the format."""


class ResultTooLarge(BadResult):
    """The result file exceeds one of the parent's caps."""


# --- the child's side: encode -----------------------------------------------------


class _Budget(Exception):
    """The child's own node budget ran out (e.g. a result built from shared references)."""


class _Writer:
    def __init__(self) -> None:
        self.parts: list[bytes] = [MAGIC]
        self.nodes = 0

    def text(self, value: str, limit: int = CHILD_TEXT) -> None:
        data = value[:limit].encode("utf-8", errors="replace")
        self.parts += [U32.pack(len(data)), data]

    def shape(self, shape: tuple) -> None:
        self.parts += [U8.pack(len(shape)), *(U64.pack(int(n)) for n in shape)]

    def node(self, tag: bytes) -> None:
        self.nodes += 1
        if self.nodes > CHILD_NODES:
            raise _Budget
        self.parts.append(tag)


def _safe_repr(value: Any) -> str:
    try:
        return repr(value)[:CHILD_TEXT]
    except BaseException:  # a student's __repr__ may raise anything
        return f"<{type(value).__qualname__} object>"


def _type_name(value: Any) -> str:
    kind = type(value)
    return f"{kind.__module__}.{kind.__qualname__}"


def _encode_tensor(out: _Writer, value: Any) -> None:
    import torch

    # Exact Tensor or Parameter only (see _encode): no subclass method runs here.
    has_data = value.device.type != "meta" and value.numel() <= CHILD_TENSOR_ELEMENTS
    has_data = has_data and str(value.dtype).removeprefix("torch.") in TENSOR_DTYPES
    flags = (REQUIRES_GRAD * bool(value.requires_grad) | IS_LEAF * bool(value.is_leaf)
             | PARAMETER * (type(value) is torch.nn.Parameter) | HAS_DATA * has_data)
    out.node(TENSOR)
    out.parts.append(U8.pack(flags))
    out.text(str(value.dtype).removeprefix("torch."))
    out.text(str(value.device))
    out.text(type(value.grad_fn).__name__ if value.grad_fn is not None else "")
    out.shape(tuple(value.shape))
    if has_data:
        flat = value.detach().to("cpu", copy=True).contiguous().reshape(-1)
        data = flat.view(torch.uint8).numpy().tobytes() if flat.numel() else b""
        out.parts += [U64.pack(len(data)), data]


def _encode_ndarray(out: _Writer, value: Any) -> None:
    import numpy as np

    has_data = value.size <= CHILD_TENSOR_ELEMENTS and value.dtype.name in NDARRAY_DTYPES
    out.node(NDARRAY)
    out.text(value.dtype.name if has_data else "")
    out.shape(value.shape)
    if has_data:
        data = np.ascontiguousarray(value).tobytes()
        out.parts += [U64.pack(len(data)), data]


def _encode_scalar(out: _Writer, value: Any, kind: type) -> None:
    if kind is bool:
        out.node(TRUE if value else FALSE)
    elif kind is int and abs(value) < 2**63:
        out.node(INT)
        out.parts.append(I64.pack(value))
    elif kind is int:
        _encode_object(out, value)
    elif kind is float:
        out.node(FLOAT)
        out.parts.append(F64.pack(value))
    else:
        out.node(TEXT)
        out.text(value)


def _encode_object(out: _Writer, value: Any) -> None:
    out.node(OBJECT)
    out.text(_type_name(value))
    out.text(_safe_repr(value))


def _encode(out: _Writer, value: Any, depth: int) -> None:
    import numpy as np
    import torch

    kind = type(value)  # exact types only: a subclass is a look-alike, and stays opaque
    if value is None:
        out.node(NONE)
    elif kind in (bool, int, float, str):
        _encode_scalar(out, value, kind)
    elif kind in (torch.Tensor, torch.nn.Parameter):
        _encode_tensor(out, value)
    elif kind is np.ndarray:
        _encode_ndarray(out, value)
    elif kind in (np.float64, np.float32, np.float16, np.int64, np.int32, np.bool_):
        out.node(NPSCALAR)
        out.text(kind.__name__)
        _encode_scalar(out, float(value) if kind.__name__.startswith("float") else int(value),
                       float if kind.__name__.startswith("float") else int)
    elif kind in (list, tuple) and depth < CHILD_DEPTH:
        items = list.__getitem__(value, slice(CHILD_ITEMS)) if kind is list else value[:CHILD_ITEMS]
        out.node(LIST if kind is list else TUPLE)
        out.parts.append(U32.pack(len(items)))
        for item in items:
            _encode(out, item, depth + 1)
    elif kind is dict and depth < CHILD_DEPTH:
        pairs = list(dict.items(value))[:CHILD_ITEMS]
        out.node(DICT)
        out.parts.append(U32.pack(len(pairs)))
        for key, item in pairs:
            _encode(out, key, depth + 1)
            _encode(out, item, depth + 1)
    else:
        _encode_object(out, value)


def encode_returned(value: Any) -> bytes:
    """The child's result for a probe that returned ``value``."""
    out = _Writer()
    out.parts.append(RETURNED)
    try:
        _encode(out, value, 0)
    except _Budget:
        return MAGIC + TOO_LARGE
    return b"".join(out.parts)


def encode_raised(type_name: str, message: str, where: str) -> bytes:
    out = _Writer()
    out.parts.append(RAISED)
    for text in (type_name, message, where):
        out.text(text)
    return b"".join(out.parts)


def encode_missing(message: str) -> bytes:
    out = _Writer()
    out.parts.append(MISSING)
    out.text(message)
    return b"".join(out.parts)


# --- the parent's side: decode ----------------------------------------------------


class _Reader:
    def __init__(self, data: bytes, limits: Limits) -> None:
        self.data, self.pos, self.limits = memoryview(data), 0, limits
        self.nodes = self.elements = 0
        self.deadline = time.monotonic() + limits.seconds

    def take(self, size: int) -> memoryview:
        if size < 0 or self.pos + size > len(self.data):
            raise BadResult("truncated")
        chunk = self.data[self.pos : self.pos + size]
        self.pos += size
        return chunk

    def unpack(self, fmt: struct.Struct) -> Any:
        return fmt.unpack(self.take(fmt.size))[0]

    def text(self, clean: bool = False) -> str:
        size = self.unpack(U32)
        if size > self.limits.text * 4:  # UTF-8: at most 4 bytes a character
            raise ResultTooLarge("text")
        text = bytes(self.take(size)).decode("utf-8", errors="replace")
        return printable(text, self.limits.text) if clean else text[: self.limits.text]

    def shape(self) -> tuple[int, ...]:
        ndim = self.unpack(U8)
        if ndim > 16:
            raise BadResult("too many dimensions")
        shape = tuple(self.unpack(U64) for _ in range(ndim))
        if any(n > 2**40 for n in shape):
            raise BadResult("shape")
        return shape

    def count(self, nodes: int = 1, elements: int = 0) -> None:
        self.nodes += nodes
        self.elements += elements
        if self.nodes > self.limits.nodes or self.elements > self.limits.elements:
            raise ResultTooLarge("nodes")
        if self.nodes % 1024 == 0 and time.monotonic() > self.deadline:
            raise ResultTooLarge("time")

    def raw(self, numel: int, itemsize: int) -> bytearray:
        """Exactly ``numel`` items: a data length that disagrees with the metadata is refused."""
        size = self.unpack(U64)
        if size != numel * itemsize:
            raise BadResult("tensor data does not match its shape and dtype")
        self.count(0, numel)
        return bytearray(self.take(size))  # writable: torch.frombuffer warns otherwise


def _decode_tensor(reader: _Reader) -> TensorInfo:
    import torch

    flags = reader.unpack(U8)
    dtype, device, grad_fn = reader.text(), reader.text(clean=True), reader.text(clean=True)
    shape = reader.shape()
    if dtype not in TENSOR_DTYPES:
        raise BadResult("tensor dtype")
    data = None
    if flags & HAS_DATA:
        torch_dtype = getattr(torch, dtype)
        numel = math.prod(shape)
        raw = reader.raw(numel, torch.empty((), dtype=torch_dtype).element_size())
        data = (torch.frombuffer(raw, dtype=torch_dtype).reshape(shape) if numel
                else torch.empty(shape, dtype=torch_dtype))
    return TensorInfo(shape, f"torch.{dtype}", device, bool(flags & REQUIRES_GRAD),
                      bool(flags & IS_LEAF), grad_fn or None, bool(flags & PARAMETER), data)


def _decode_ndarray(reader: _Reader) -> Any:
    import numpy as np

    dtype, shape = reader.text(), reader.shape()
    if not dtype:  # the child kept the data back (too large, or not numeric)
        return Opaque(f"numpy.ndarray of shape {shape}", "")
    if dtype not in NDARRAY_DTYPES:
        raise BadResult("array dtype")
    numel = math.prod(shape)
    raw = reader.raw(numel, np.dtype(dtype).itemsize)
    return np.frombuffer(raw, dtype=dtype).reshape(shape)


def _decode_items(reader: _Reader, depth: int, pairs: bool) -> list:
    size = reader.unpack(U32)
    if reader.nodes + size * (1 + pairs) > reader.limits.nodes:  # refuse a claim before reading
        raise ResultTooLarge("items")
    if pairs:
        return [(_key(_decode(reader, depth + 1)), _decode(reader, depth + 1))
                for _ in range(size)]
    return [_decode(reader, depth + 1) for _ in range(size)]


_CONSTANTS = {NONE: None, TRUE: True, FALSE: False}


def _decode(reader: _Reader, depth: int) -> Any:
    if depth > reader.limits.depth:
        raise ResultTooLarge("depth")
    reader.count()
    tag = bytes(reader.take(1))
    if tag in _CONSTANTS:
        return _CONSTANTS[tag]
    if tag == INT:
        return reader.unpack(I64)
    if tag == FLOAT:
        return reader.unpack(F64)
    if tag == TEXT:
        return reader.text()
    if tag in (LIST, TUPLE):
        items = _decode_items(reader, depth, pairs=False)
        return items if tag == LIST else tuple(items)
    if tag == DICT:
        return dict(_decode_items(reader, depth, pairs=True))
    if tag == TENSOR:
        return _decode_tensor(reader)
    if tag == NDARRAY:
        return _decode_ndarray(reader)
    if tag == NPSCALAR:
        reader.text()
        value = _decode(reader, depth + 1)
        return value if type(value) in (int, float) else Opaque("numpy scalar", "")
    if tag == OBJECT:
        return Opaque(reader.text(clean=True), reader.text(clean=True))
    raise BadResult(f"unknown tag {tag!r}")


def _key(key: Any) -> Any:
    hashable = isinstance(key, (str, int, float, bool)) or key is None
    if isinstance(key, tuple):
        hashable = all(isinstance(k, (str, int, float, bool)) or k is None for k in key)
    return key if hashable else str(key)


def _decode_all(reader: _Reader) -> Returned | Raised | Missing | Crashed:
    if bytes(reader.take(len(MAGIC))) != MAGIC:
        raise BadResult("magic")
    tag = bytes(reader.take(1))
    if tag == RETURNED:
        outcome = Returned(_decode(reader, 0))
    elif tag == RAISED:
        outcome = Raised(*(reader.text(clean=True) for _ in range(3)))
    elif tag == MISSING:
        outcome = Missing(reader.text(clean=True))
    elif tag == TOO_LARGE:
        return Crashed(TOO_LARGE_REASON)
    else:
        raise BadResult("outcome")
    if reader.pos != len(reader.data):
        raise BadResult("trailing data")
    return outcome


def decode_outcome(data: bytes, limits: Limits = Limits()) -> Returned | Raised | Missing | Crashed:
    """A child's result file, read within ``limits``; anything else becomes ``Crashed``."""
    if len(data) > limits.bytes:
        return Crashed(TOO_LARGE_REASON)
    try:
        return _decode_all(_Reader(data, limits))
    except ResultTooLarge:
        return Crashed(TOO_LARGE_REASON)
    except (BadResult, struct.error, ValueError, TypeError, RuntimeError):
        return Crashed(OUTSIDE_REASON)
