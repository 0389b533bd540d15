"""Grader for exercise mse: the mean squared error loss."""

import numpy as np
import pytest
import torch

from graders import close, expect_float, expect_tensor, fail, number, show, tensors_close
from graders.probes import mse as probes
from solutions import mse as reference

# Several seeds and shapes, so that memorising one answer earns nothing.
CASES = [(0, (5,)), (1, (7, 1)), (2, (16,)), (3, (4, 3))]


def _arrays(seed: int, shape: tuple) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.normal(size=shape), rng.normal(size=shape)


def _tensors(seed: int, shape: tuple) -> tuple[torch.Tensor, torch.Tensor]:
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(shape, generator=generator), torch.randn(shape, generator=generator)


def _diagnose(got: float, y_pred, y) -> str:
    """The likely mistake behind a wrong loss value."""
    diff = np.asarray(y_pred, dtype=float) - np.asarray(y, dtype=float)
    n, expected = diff.size, float(np.mean(diff**2))
    signatures = [
        (expected * n, f"The value is {n} times too large: you summed instead of averaging."),
        (np.sqrt(expected), "You returned the square root (RMSE), not the mean squared error."),
        (float(np.mean(np.abs(diff))), "You averaged absolute differences (MAE), not squares."),
        (expected / 2, "The value is half the MSE: drop the factor 1/2."),
        (float(np.mean(diff)) ** 2, "You squared the mean difference instead of averaging the "
         "squared differences."),
        (float(np.mean(diff**2)) * n / max(n - 1, 1), "You divided by N - 1 instead of N."),
    ]
    for value, mistake in signatures:
        if close(got, value, rtol=1e-4):
            return mistake
    return "Compute mean((y_pred - y) ** 2) over all elements."


def _expect_value(got: float, y_pred, y) -> None:
    expected = reference.mse(y_pred, y)
    expected = float(expected)
    if not close(got, expected, rtol=1e-5, atol=1e-7):
        fail(f"mse = {expected:.6g}", f"{got:.6g}", _diagnose(got, y_pred, y))


@pytest.mark.points(1)
def test_numpy_returns_float(submission):
    y_pred, y = _arrays(0, (6,))
    got = submission.call("mse", y_pred, y)
    if isinstance(got, np.ndarray):
        fail("a Python float for NumPy inputs", f"{show(got)}",
             "An array means the mean over the elements is missing; call .mean() or np.mean().")
    expect_float(got, what="mse of two NumPy arrays")


@pytest.mark.points(2)
@pytest.mark.parametrize(("seed", "shape"), CASES)
def test_numpy_value(submission, seed, shape):
    y_pred, y = _arrays(seed, shape)
    got = expect_float(submission.call("mse", y_pred, y), what=f"mse of arrays of shape {shape}")
    _expect_value(got, y_pred, y)


@pytest.mark.points(2)
@pytest.mark.parametrize(("seed", "shape"), CASES)
def test_torch_value(submission, seed, shape):
    y_pred, y = _tensors(seed, shape)
    got = expect_tensor(submission.call("mse", y_pred, y), what="mse of two tensors",
                        mistake="For tensors, keep the result a tensor so autograd can use it.")
    if got.shape != ():
        fail("a 0-dimensional tensor", f"shape {got.shape}",
             "Average over every element with .mean() so the loss is a single number.")
    _expect_value(float(got.data), y_pred.numpy(), y.numpy())


@pytest.mark.points(2)
@pytest.mark.parametrize(("seed", "shape"), [(4, (6,)), (5, (3, 2))])
def test_gradient(submission, seed, shape):
    y_pred, y = _tensors(seed, shape)
    got = submission.probe(probes.gradients, y_pred, y)
    if got["grad"] is None:
        fail("a loss attached to the autograd graph", f"{show(got['loss'])} with no grad_fn",
             "Do the arithmetic on the tensors themselves: .item(), .numpy() or float() cut "
             "the graph.")
    leaf = y_pred.double().requires_grad_(True)
    reference.mse(leaf, y.double()).backward()
    if not tensors_close(got["grad"].data, leaf.grad, rtol=1e-6, atol=1e-9):
        fail(f"d mse / d y_pred = {number(leaf.grad)}", number(got["grad"].data),
             "Check the mean: each element's gradient is 2 * (y_pred - y) / N.")
    if not tensors_close(got["numeric"].data, got["grad"].data, rtol=1e-4, atol=1e-6):
        fail(f"autograd's gradient {number(got['grad'].data)} to match central differences",
             number(got["numeric"].data), "Your function is not the one autograd differentiates.")


@pytest.mark.points(2)
@pytest.mark.parametrize("kind", ["numpy", "torch"])
def test_shape_mismatch_raises(submission, kind):
    y_pred, y = _arrays(6, (5, 1)) if kind == "numpy" else _tensors(6, (5, 1))
    outcome = submission.attempt("mse", y_pred, y.reshape(-1))
    if getattr(outcome, "type", None) != "ValueError":
        got = show(outcome.value) if hasattr(outcome, "value") else f"{outcome.type}"
        fail("ValueError for shapes (5, 1) and (5,)", got, "Compare y_pred.shape with y.shape "
             "first: (5, 1) - (5,) silently broadcasts to a (5, 5) matrix.")


@pytest.mark.points(1)
def test_inputs_unchanged(submission):
    y_pred, y = _tensors(7, (8,))
    if not submission.probe(probes.leaves_inputs_alone, y_pred, y):
        fail("y_pred and y unchanged after mse", "modified inputs",
             "Avoid in-place operations such as y_pred -= y or diff.pow_(2) on the arguments.")


@pytest.mark.points(1)
def test_meta_device(submission):
    got = expect_tensor(submission.probe(probes.on_device, "meta", (3, 1)),
                        what="mse of two meta tensors")
    if got.device != "meta" or got.shape != ():
        fail("a 0-dimensional tensor on the meta device", str(got),
             "Keep the computation in torch: converting to NumPy or Python numbers leaves the "
             "input's device.")


@pytest.mark.points(0)
def test_cuda_device(submission, cuda):
    got = expect_tensor(submission.probe(probes.on_device, cuda, (3, 1)),
                        what="mse of two CUDA tensors")
    if not got.device.startswith("cuda"):
        fail("the loss on the inputs' CUDA device", str(got),
             "Do the arithmetic in torch so the result stays on the GPU.")
