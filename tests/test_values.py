"""What a child sends back is decoded into a closed set of plain values."""

import numpy as np
import pytest
import torch

from graders._child import describe
from graders._sandbox import Crashed
from graders._values import Opaque, Raised, Returned, TensorInfo, decode_outcome, decode_value


class Sneaky(torch.Tensor):  # noqa: PLW1641 - a look-alike need not hash
    """A look-alike: it claims equality with anything."""

    def __eq__(self, other):
        return True


def roundtrip(value):
    return decode_value(describe(value))


def test_plain_values_roundtrip():
    assert roundtrip(1.5) == 1.5
    assert roundtrip((1, "a", None, True)) == (1, "a", None, True)
    assert roundtrip({"loss": [1.0, 2.0]}) == {"loss": [1.0, 2.0]}
    assert roundtrip(np.float32(0.5)) == 0.5
    np.testing.assert_array_equal(roundtrip(np.arange(3.0)), np.arange(3.0))


def test_tensors_keep_metadata_and_values():
    leaf = torch.ones(2, requires_grad=True)
    info = roundtrip(leaf * 2)
    assert isinstance(info, TensorInfo)
    assert (info.shape, info.requires_grad, info.is_leaf, info.grad_fn) == (
        (2,),
        True,
        False,
        "MulBackward0",
    )
    assert torch.equal(info.data, torch.tensor([2.0, 2.0]))


def test_tensor_subclasses_and_objects_are_opaque():
    sneaky = torch.zeros(2).as_subclass(Sneaky)
    assert isinstance(roundtrip(sneaky), Opaque)
    assert "Sneaky" in roundtrip(sneaky).type
    assert isinstance(roundtrip(object()), Opaque)


@pytest.mark.parametrize(
    "raw",
    [
        None,
        "text",
        {"k": "returned"},
        {"k": "returned", "value": {"k": "float", "v": "1.0"}},
        {"k": "returned", "value": {"k": "tensor", "shape": "x", "data": None}},
        {"k": "returned", "value": {"k": "mystery"}},
    ],
)
def test_malformed_results_are_crashes_not_errors(raw):
    assert isinstance(decode_outcome(raw), Crashed)


def test_raised_outcome():
    outcome = decode_outcome({"k": "raised", "type": "ValueError", "message": "m", "where": "w"})
    assert outcome == Raised("ValueError", "m", "w")
    assert decode_outcome({"k": "returned", "value": {"k": "none"}}) == Returned(None)
