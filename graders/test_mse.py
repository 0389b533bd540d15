"""Grader for exercise mse: the mean squared error loss."""

import numpy as np
import pytest
import torch

from graders import (
    Opaque,
    TensorInfo,
    answer_key,
    case_ids,
    close,
    expect_float,
    expect_tensor,
    fail,
    first_match,
    number,
    show,
    tensors_close,
)
from graders.probes import mse as probes

reference = answer_key("mse")

# Several seeds and shapes (1-D, a column, a matrix), so that memorising one answer earns
# nothing and a mean over one axis only shows.
CASES = [(0, (5,)), (1, (7, 1)), (2, (16,)), (3, (4, 3))]
GRADIENT_CASES = [(4, (6,)), (5, (3, 2))]
# (kind, y_pred's shape, y's shape) that broadcast silently: the column-vs-vector bug.
MISMATCHES = [("numpy", (5, 1), (5,)), ("torch", (5, 1), (5,)), ("torch", (5,), (5, 1))]
# The core: the loss's value on arrays and on tensors, and its gradient. The properties
# around it (a float for arrays, ValueError on bad shapes, inputs unchanged, devices) are
# graded once the values are right: a function that computes nothing earns nothing.
CORE = ("numpy_value", "torch_value", "gradient")
VALUES = ("numpy_value", "torch_value")


def _arrays(seed: int, shape: tuple) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.normal(size=shape), rng.normal(size=shape)


def _tensors(seed: int, shape: tuple) -> tuple[torch.Tensor, torch.Tensor]:
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(shape, generator=generator), torch.randn(shape, generator=generator)


# --- diagnosing a wrong loss or gradient ----------------------------------------------------

# Losses students write instead of the MSE, as functions of diff = y_pred - y, each with the
# mistake it reveals. One table serves wrong values and wrong gradients alike (autograd
# differentiates each wrong loss), so a slip gets the same hint wherever it shows.
WRONG_LOSSES = [
    (lambda d: (d * d).sum(), "{What} is {n} times too large: you summed instead of averaging."),
    (lambda d: (d * d).sum() / d.shape[0], "{What} is {ratio} times too large: you divided by "
     "len(y) = {rows} (the rows) instead of the number of elements, {n}."),
    (lambda d: (d * d).mean().sqrt(), "You took the square root (RMSE): the MSE has none."),
    (lambda d: d.abs().mean(), "You averaged absolute differences (MAE), not squared ones."),
    (lambda d: d.mean(), "You forgot to square the differences before averaging."),
    (lambda d: (d * d).mean() / 2, "{What} is half of what it should be: drop the factor 1/2."),
    (lambda d: d.mean() ** 2, "You squared the mean difference instead of averaging the squared "
     "differences."),
    (lambda d: (d * d).sum() / (d.numel() - 1), "You divided by N - 1 = {n_1} instead of N = {n}."),
]


def _diagnose(got, y_pred, y) -> str:
    """The likely mistake behind a wrong loss (a float) or a wrong d loss / d y_pred (a tensor)."""
    wants_gradient = isinstance(got, torch.Tensor)
    y_pred = torch.as_tensor(np.asarray(y_pred), dtype=torch.float64)
    y = torch.as_tensor(np.asarray(y), dtype=torch.float64)
    n, rows = y.numel(), y.shape[0] if y.dim() else 1
    words = {"What": "The gradient" if wants_gradient else "The loss", "n": n, "rows": rows,
             "ratio": n // rows, "n_1": n - 1}

    def signature(loss):
        """What this loss gives: its value, or its gradient when diagnosing a gradient."""
        leaf = y_pred.clone().requires_grad_(True)
        value = loss(leaf - y)
        value.backward()
        return leaf.grad if wants_gradient else value.item()

    def same(a, b) -> bool:
        if wants_gradient:
            return tensors_close(a, b, rtol=1e-4, atol=1e-9)
        return close(a, b, rtol=1e-4, atol=1e-9)

    # A wrong loss that agrees with the MSE on these shapes (len(y) of a vector) says nothing.
    candidates = [(lambda loss=loss: signature(loss), hint) for loss, hint in WRONG_LOSSES]
    found = first_match(candidates, got, same, correct=signature(lambda d: (d * d).mean()))
    if found:
        return found.hint.format(**words)
    if wants_gradient:
        return "Each element's gradient is 2 * (y_pred - y) / N."
    return "Compute mean((y_pred - y) ** 2) over all elements."


def _reduction_hint(got_shape: tuple, input_shape: tuple) -> str:
    """Why the loss is not a single number."""
    if tuple(got_shape) == tuple(input_shape):
        return ("That is the element-wise squared error: the mean over the elements is missing "
                "(call .mean()).")
    if tuple(got_shape) == ():
        return "Wrap the 0-dimensional array in float(...)."
    return (f"You averaged over some axes only, leaving shape {tuple(got_shape)}: call .mean() "
            "with no axis, over every element.")


# Why a hint says "keep the computation in torch": NumPy and Python numbers leave autograd's
# graph and the tensors' device.
NUMBER_FOR_TENSORS = ("NumPy functions, .item() and float() turn the loss into a plain number "
                      "that autograd cannot differentiate: keep the computation in torch.")


def _error_hint(raised) -> str:
    """The likely mistake behind an exception mse raised on tensors ('' when none is known)."""
    error = f"{raised.type}: {raised.message}"
    # Tensor.numpy() refuses tensors that require grad or live off the CPU; np.mean(tensor)
    # calls tensor.mean(axis=..., out=...), which torch rejects.
    if "numpy" in error.lower() or "'axis'" in error:
        return ("NumPy functions (np.mean, np.square, .numpy()) cannot follow autograd or a "
                "tensor's device: keep the computation in torch.")
    if "meta" in error:
        return ("Meta tensors have shapes but no values, so .item() and float() fail on them: "
                "keep the computation in torch.")
    if "view size is not compatible" in error or "contiguous" in error:
        return ("mse used .view(), which needs a contiguous tensor; a transposed one is not: "
                "use .reshape(), or no reshaping (elementwise ops and .mean() take any layout).")
    if "in-place" in error or "inplace" in error:
        return ("mse changed a tensor in place (y_pred -= y, diff.pow_(2) on an input): "
                "compute new tensors instead of changing the inputs in place.")
    return ""


# --- what a right answer looks like ----------------------------------------------------------


VALUE_TOLERANCE = {"rtol": 1e-5, "atol": 1e-7}
GRADIENT_TOLERANCE = {"rtol": 1e-6, "atol": 1e-9}


def _expect_value(got: float, y_pred, y) -> None:
    expected = float(reference.mse(y_pred, y))
    if not close(got, expected, **VALUE_TOLERANCE):
        fail(f"mse = {number(expected, **VALUE_TOLERANCE)}", number(got, digits=6),
             _diagnose(got, y_pred, y))


def _numpy_loss(got, shape: tuple) -> float:
    """The single number mse returned for NumPy inputs, whatever its type (a float, a 0-dim
    array or tensor): the value is graded here, the type by ``numpy_returns_float``."""
    what = f"mse of two arrays of shape {shape}"
    if isinstance(got, np.ndarray) and got.size != 1:
        fail(f"{what} to be a single number", show(got), _reduction_hint(got.shape, shape))
    if isinstance(got, TensorInfo) and got.shape != ():
        fail(f"{what} to be a single number", show(got), _reduction_hint(got.shape, shape))
    if isinstance(got, np.ndarray):
        got = got.item()
    elif isinstance(got, TensorInfo) and got.data is not None:
        got = float(got.data)
    return expect_float(got, what=what)


def _expect_numpy_float(got, shape: tuple) -> float:
    """A Python float for NumPy inputs; arrays and tensors get a specific hint."""
    what = f"mse of two arrays of shape {shape}"
    if isinstance(got, np.ndarray):
        fail(f"{what} to be a Python float", show(got), _reduction_hint(got.shape, shape))
    if isinstance(got, TensorInfo):
        fail(f"{what} to be a Python float", show(got), "For NumPy inputs return a Python float: "
             "compute with NumPy, or wrap a torch result in float(...).")
    return expect_float(got, what=what)


def _expect_scalar_tensor(loss, what: str, shape: tuple) -> TensorInfo:
    """The loss of tensors must be a 0-dimensional tensor."""
    if isinstance(loss, (int, float)):
        fail(f"a tensor from mse of {what}", f"a plain number, {show(loss)}", NUMBER_FOR_TENSORS)
    loss = expect_tensor(loss, what=f"mse of {what}", mistake=NUMBER_FOR_TENSORS)
    if loss.shape != ():
        fail("a 0-dimensional tensor", f"shape {loss.shape}", _reduction_hint(loss.shape, shape))
    return loss


def _expect_differentiable(got: dict, shape: tuple) -> None:
    """The gradients probe's loss must be a 0-dim tensor with a history leading to y_pred."""
    loss = _expect_scalar_tensor(got["loss"], "tensors that require grad", shape)
    wanted = "the loss attached to the autograd graph"
    if loss.grad_fn is None:
        fail(wanted, "a tensor with no grad_fn", "The loss was cut from the autograd graph: "
             ".item(), float(), .numpy(), .detach() and torch.tensor(...) drop its history.")
    if got["grad"] is None:
        fail("a gradient for y_pred", "None", "The loss does not reach y_pred through autograd: "
             "do not use y_pred.detach() or y_pred.data in the formula.")


# --- checks --------------------------------------------------------------------------------


@pytest.mark.points(1, after="numpy_value")
def test_numpy_returns_float(submission):
    y_pred, y = _arrays(0, (6,))
    _expect_numpy_float(submission.call("mse", y_pred, y), (6,))


@pytest.mark.points(2)
@pytest.mark.parametrize(("seed", "shape"), CASES, ids=case_ids(CASES, "seed"))
def test_numpy_value(submission, seed, shape):
    y_pred, y = _arrays(seed, shape)
    got = _numpy_loss(submission.call("mse", y_pred, y), shape)
    _expect_value(got, y_pred, y)


@pytest.mark.points(2)
@pytest.mark.parametrize(("seed", "shape"), CASES, ids=case_ids(CASES, "seed"))
def test_torch_value(submission, seed, shape):
    y_pred, y = _tensors(seed, shape)
    got = submission.call("mse", y_pred, y, diagnose=_error_hint)
    got = _expect_scalar_tensor(got, "two tensors", shape)
    _expect_value(float(got.data), y_pred.numpy(), y.numpy())


@pytest.mark.points(1, after="torch_value")
def test_non_contiguous_inputs(submission):
    """Transposed (non-contiguous) views of two tensors: any tensor is an input."""
    shape = (4, 3)
    y_pred, y = _tensors(8, shape[::-1])
    got = submission.probe(probes.transposed, y_pred, y, diagnose=_error_hint)
    got = _expect_scalar_tensor(got, "two transposed (non-contiguous) tensors", shape)
    _expect_value(float(got.data), np.ascontiguousarray(y_pred.t().numpy()),
                  np.ascontiguousarray(y.t().numpy()))


@pytest.mark.hidden
@pytest.mark.points(2, after=VALUES)
def test_variant_values(submission, variant):
    """The values on inputs of the student's own variant: copying the public answer key's
    numbers earns nothing here."""
    rng = np.random.default_rng(variant)
    shape = (int(rng.integers(3, 9)), int(rng.integers(1, 4)))
    y_pred, y = rng.normal(size=shape), rng.normal(size=shape)
    _expect_value(_numpy_loss(submission.call("mse", y_pred, y), shape), y_pred, y)
    t_pred, t = torch.from_numpy(y_pred).float(), torch.from_numpy(y).float()
    got = _expect_scalar_tensor(submission.call("mse", t_pred, t, diagnose=_error_hint),
                                "two tensors", shape)
    _expect_value(float(got.data), t_pred.numpy(), t.numpy())


@pytest.mark.points(2)
@pytest.mark.parametrize(("seed", "shape"), GRADIENT_CASES, ids=case_ids(GRADIENT_CASES, "seed"))
def test_gradient(submission, seed, shape):
    y_pred, y = _tensors(seed, shape)
    got = submission.probe(probes.gradients, y_pred, y, diagnose=_error_hint)
    _expect_differentiable(got, shape)
    # torch's own MSE, not the reference: autograd's slope needs a live graph, and the
    # answer key holds values only.
    leaf = y_pred.double().requires_grad_(True)
    loss = torch.nn.functional.mse_loss(leaf, y.double())
    loss.backward()
    grad = got["grad"].data
    if not tensors_close(grad, leaf.grad, **GRADIENT_TOLERANCE):
        mistake = _diagnose(grad, y_pred.numpy(), y.numpy())
        if close(float(got["loss"].data), loss.item(), rtol=1e-6):
            # Right value, wrong slope: autograd differentiates something else than mse's value.
            mistake = ("Your loss value is right but autograd's gradient is not its slope (a "
                       f"hand-written backward, or .detach() in the formula). {mistake}")
        fail(f"d mse / d y_pred = {number(leaf.grad, **GRADIENT_TOLERANCE)}",
             number(grad, digits=6), mistake)


def _returned_number(outcome) -> float | None:
    """The loss a call returned, as a float, when it is a single number."""
    value = getattr(outcome, "value", None)
    if isinstance(value, TensorInfo) and value.data is not None and value.data.numel() == 1:
        return float(value.data)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return None


def _outcome_text(outcome) -> str:
    """What a call did instead of raising ValueError."""
    if hasattr(outcome, "type"):
        return f"{outcome.type}: {outcome.message}"
    loss = _returned_number(outcome)
    return f"no error but {show(outcome.value) if loss is None else f'a loss of {loss:.6g}'}"


def _mismatch_hint(outcome, y_pred: np.ndarray, y: np.ndarray) -> str:
    """Why mse did not raise ValueError for two different shapes."""
    reshaped = ("You reshaped one input to fit the other; the contract asks for ValueError, "
                "since different shapes usually mean a bug upstream.")
    if getattr(outcome, "type", None) == "AssertionError":
        return ("An assert raises AssertionError (and python -O skips it): write "
                "`raise ValueError(...)` instead.")
    if hasattr(outcome, "type"):
        # torch's and NumPy's words when reshape/view_as cannot fit the elements.
        if "invalid for input of size" in outcome.message or "cannot reshape" in outcome.message:
            return reshaped
        return (f"That {outcome.type} comes from the arithmetic: compare y_pred.shape with "
                "y.shape yourself and raise ValueError before computing.")
    got = _returned_number(outcome)
    if got is not None and y_pred.size == y.size:
        broadcast = np.broadcast_shapes(y_pred.shape, y.shape)
        if close(got, float(np.mean((y_pred - y) ** 2)), rtol=1e-4):
            return (f"{y_pred.shape} - {y.shape} silently broadcasts to a {broadcast} matrix: "
                    "compare y_pred.shape with y.shape first (equal lengths or numbers of "
                    "elements are not enough).")
        if close(got, float(np.mean((y_pred.ravel() - y.ravel()) ** 2)), rtol=1e-4):
            return reshaped
    return "Compare y_pred.shape with y.shape and raise ValueError when they differ."


def _expect_value_error(submission, kind: str, pred_shape: tuple, target_shape: tuple) -> None:
    y_pred, y = _arrays(6, pred_shape)[0], _arrays(7, target_shape)[0]
    args = (y_pred, y) if kind == "numpy" else (torch.from_numpy(y_pred), torch.from_numpy(y))
    outcome = submission.attempt("mse", *args)
    if getattr(outcome, "type", None) != "ValueError":
        fail(f"ValueError for shapes {pred_shape} and {target_shape}", _outcome_text(outcome),
             _mismatch_hint(outcome, y_pred, y))


@pytest.mark.points(1, after=VALUES)
@pytest.mark.parametrize(("kind", "pred_shape", "target_shape"), MISMATCHES,
                         ids=case_ids(MISMATCHES, "", "", "vs"))
def test_shape_mismatch_raises(submission, kind, pred_shape, target_shape):
    _expect_value_error(submission, kind, pred_shape, target_shape)


@pytest.mark.points(1, after="torch_value")
def test_incompatible_shapes_raise_value_error(submission):
    # (4,) and (3,) cannot broadcast: without a check torch raises RuntimeError, not ValueError.
    _expect_value_error(submission, "torch", (4,), (3,))


@pytest.mark.points(1, after=VALUES)
@pytest.mark.parametrize("kind", ["numpy", "torch"])
def test_inputs_unchanged(submission, kind):
    y_pred, y = _arrays(8, (8,)) if kind == "numpy" else _tensors(8, (8,))
    after = submission.probe(probes.inputs_after, y_pred, y, diagnose=_error_hint)
    changed = [name for name, before in (("y_pred", y_pred), ("y", y))
               if not _same_values(after.get(name) if isinstance(after, dict) else None, before)]
    if changed:
        fail("y_pred and y unchanged after mse", f"{' and '.join(map(str, changed))} changed "
             "in place", "y_pred -= y (or diff -= y after diff = y_pred, which does not copy) "
             "changes the caller's data: write diff = y_pred - y, a new array or tensor.")


def _same_values(got, before) -> bool:
    """``got`` (decoded from the child) holds exactly the values of ``before``."""
    data = got.data if isinstance(got, TensorInfo) else got
    if data is None or isinstance(data, Opaque):
        return False
    return bool(np.array_equal(np.asarray(data), np.asarray(before)))


def _expect_on_device(got, device: str, shape: tuple) -> None:
    loss = _expect_scalar_tensor(got, f"{device} tensors", shape)
    if not loss.device.startswith(device):
        fail(f"the loss on the {device} device", str(loss),
             "Keep the computation in torch, on the inputs' device: a tensor built with "
             "torch.tensor(...) or torch.zeros(...) lives on the CPU.")


@pytest.mark.points(1, after=("torch_value", "gradient"))
def test_meta_device(submission):
    got = submission.probe(probes.on_device, "meta", (3, 1), diagnose=_error_hint)
    _expect_on_device(got, "meta", (3, 1))


@pytest.mark.points(0, after=("torch_value", "gradient"))
def test_cuda_device(submission, cuda):
    got = submission.probe(probes.on_device, cuda, (3, 1), diagnose=_error_hint)
    _expect_on_device(got, cuda, (3, 1))
