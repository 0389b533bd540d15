"""The child/parent wire format: a closed set of plain values, read within the parent's caps.

A submission can write its own result file, so every test here also stands
for a forged file: the decoder must refuse it quickly, never inflate it, and
never trust a tensor's stated shape over its bytes.
"""

import time

import numpy as np
import pytest
import torch

from graders._text import printable
from graders._wire import (
    MAGIC,
    OUTSIDE_REASON,
    RETURNED,
    TENSOR,
    TOO_LARGE_REASON,
    U8,
    U32,
    U64,
    Crashed,
    Limits,
    Missing,
    Opaque,
    Raised,
    Returned,
    TensorInfo,
    decode_outcome,
    encode_missing,
    encode_raised,
    encode_returned,
)


class Sneaky(torch.Tensor):  # noqa: PLW1641 - a look-alike need not hash
    """A look-alike: it claims equality with anything."""

    def __eq__(self, other):
        return True


def roundtrip(value):
    outcome = decode_outcome(encode_returned(value))
    assert isinstance(outcome, Returned), outcome
    return outcome.value


def text(value: str) -> bytes:
    data = value.encode()
    return U32.pack(len(data)) + data


def test_plain_values_roundtrip():
    assert roundtrip(1.5) == 1.5
    assert roundtrip((1, "a", None, True)) == (1, "a", None, True)
    assert roundtrip({"loss": [1.0, 2.0], (1, 2): -3}) == {"loss": [1.0, 2.0], (1, 2): -3}
    assert roundtrip(np.float32(0.5)) == 0.5
    assert roundtrip(np.int64(7)) == 7
    np.testing.assert_array_equal(roundtrip(np.arange(3.0)), np.arange(3.0))
    assert isinstance(roundtrip(2**70), Opaque)


def test_tensors_keep_metadata_and_values():
    leaf = torch.ones(2, requires_grad=True)
    info = roundtrip(leaf * 2)
    assert isinstance(info, TensorInfo)
    assert (info.shape, info.requires_grad, info.is_leaf, info.grad_fn) == (
        (2,), True, False, "MulBackward0")
    assert torch.equal(info.data, torch.tensor([2.0, 2.0]))
    permuted = torch.arange(6, dtype=torch.float64).reshape(2, 3).t()
    assert torch.equal(roundtrip(permuted).data, permuted)
    for dtype in (torch.bfloat16, torch.bool, torch.uint8, torch.int64, torch.complex64):
        tensor = torch.ones(3, dtype=dtype)
        assert torch.equal(roundtrip(tensor).data, tensor)
    assert roundtrip(torch.zeros(0, 4)).data.shape == (0, 4)
    parameter = roundtrip(torch.nn.Parameter(torch.zeros(2)))
    assert parameter.parameter
    assert parameter.is_leaf


def test_meta_and_oversized_tensors_come_back_without_data():
    meta = roundtrip(torch.zeros(3, device="meta"))
    assert (meta.device, meta.data) == ("meta", None)
    big = roundtrip(torch.zeros(1_000_001).expand(1_000_001))
    assert big.shape == (1_000_001,)
    assert big.data is None


def test_tensor_subclasses_and_objects_are_opaque():
    sneaky = torch.zeros(2).as_subclass(Sneaky)
    assert isinstance(roundtrip(sneaky), Opaque)
    assert "Sneaky" in roundtrip(sneaky).type
    assert isinstance(roundtrip(object()), Opaque)


def test_raised_and_missing_outcomes_are_printable():
    outcome = decode_outcome(encode_raised("ValueError", "bad\x1b[2J\x1b[31mred\x07", "w.py"))
    assert outcome == Raised("ValueError", "badred", "w.py")
    assert decode_outcome(encode_missing("no `mse`")) == Missing("no `mse`")
    assert decode_outcome(encode_returned(None)) == Returned(None)


def test_shared_references_cost_the_child_not_the_parent():
    row = [0.5] * 1000
    outcome = decode_outcome(encode_returned([row] * 1000))  # 10^6 nodes once expanded
    assert outcome == Crashed(TOO_LARGE_REASON)


def tensor_record(shape: tuple, data: bytes) -> bytes:
    dims = U8.pack(len(shape)) + b"".join(U64.pack(n) for n in shape)
    header = MAGIC + RETURNED + TENSOR + U8.pack(8) + text("float32") + text("cpu") + text("")
    return header + dims + U64.pack(len(data)) + data


@pytest.mark.parametrize(
    ("forged", "reason"),
    [
        (b"", OUTSIDE_REASON),
        (b"\x80\x04pickle", OUTSIDE_REASON),
        (MAGIC + RETURNED + b"?", OUTSIDE_REASON),
        (MAGIC + RETURNED + b"n" + b"trailing", OUTSIDE_REASON),
        # An expanded tensor: the metadata claims far more elements than the bytes hold.
        (tensor_record((1000, 1000), b"\0" * 4), OUTSIDE_REASON),
        (tensor_record((2,), b"\0" * 4), OUTSIDE_REASON),
        # A list claiming four billion items, a string claiming four gigabytes.
        (MAGIC + RETURNED + b"l" + U32.pack(2**32 - 1), TOO_LARGE_REASON),
        (MAGIC + RETURNED + b"s" + U32.pack(2**32 - 1), TOO_LARGE_REASON),
        (MAGIC + RETURNED + b"l\1\0\0\0" * 100 + b"n", TOO_LARGE_REASON),  # depth
    ],
)
def test_forged_results_are_refused_not_materialised(forged, reason):
    assert decode_outcome(forged) == Crashed(reason)


def test_decoding_is_bounded_in_time_and_size():
    limits = Limits(elements=1000)
    assert decode_outcome(encode_returned(torch.zeros(2000)), limits) == Crashed(TOO_LARGE_REASON)
    many = MAGIC + RETURNED + b"l" + U32.pack(200_000) + b"n" * 200_000
    start = time.monotonic()
    assert isinstance(decode_outcome(many), Returned)
    assert decode_outcome(many, Limits(nodes=1000)) == Crashed(TOO_LARGE_REASON)
    assert time.monotonic() - start < 5  # well inside the decoder's own wall-time cap


def test_long_strings_are_cut_and_cleaned():
    half_megabyte = "x" * 500_000
    outcome = decode_outcome(encode_raised("E", half_megabyte, ""))
    assert len(outcome.message) <= 2_000
    forged = MAGIC + b"E" + text("E") + text(half_megabyte) + text("")
    assert decode_outcome(forged) == Crashed(TOO_LARGE_REASON)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("plain text", "plain text"),
        ("\x1b[2J\x1b[Hscore 334/334", "score 334/334"),
        ("\x1b]0;title\x07ok", "ok"),
        ("a\rb\x00c\x08d", "abcd"),
        ("line\nfake row 28/28\ttab", "line fake row 28/28 tab"),
        ("\u202eevil", "evil"),
    ],
)
def test_printable_strips_escapes_and_controls(raw, clean):
    assert printable(raw) == clean


def test_printable_caps_length_and_keeps_lines_where_asked():
    assert len(printable("y" * 5000, 100)) == 100
    assert printable("a\nb\x1b[1m", lines=True) == "a\nb"
