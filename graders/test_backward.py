"""Grader for exercise backward: hand-written gradients and batch gradient descent."""

import itertools
import random

import numpy as np
import pytest
import torch

from graders import (
    Gradients,
    answer_key,
    case_ids,
    close,
    expect_count,
    expect_float,
    fail,
    first_match,
    number,
    show,
)
from graders.probes import backward as probes

reference = answer_key("backward")

# The core: the gradients (against the reference, autograd and central differences, then on
# mixed shapes), and the loop (its start, its trajectory, its lr, its simultaneous update,
# the line it ends on). gradient_descent uses backward, so the loop is graded once backward's
# values are right (a constant backward earns nothing, whatever loop surrounds it). The loop
# checks run the contract's loop from the student's own start, so a start drawn differently
# costs start_from_seed alone; lr, the update order and the end result wait for the
# trajectory, so a wrong loop costs the trajectory alone. The properties (plain floats,
# reproducible, seed-dependent) wait for the values they describe. The loop checks' yardstick
# (``_simulate``, ``_start``) is computed here, not by the reference: its inputs come from the
# student's own start, which the student kit's answer key cannot know.
CORE = ("gradient_value", "mixed_shapes", "matches_autograd", "matches_finite_differences",
        "start_from_seed", "follows_reference_trajectory", "honours_lr", "simultaneous_update",
        "recovers_line")

START = ("Draw the start exactly as the docstring says: "
         "`rng = np.random.default_rng(seed); a, b = rng.standard_normal(2)`.")
FORMULAS = "dL/da = 2 * mean(a + b*x - y) and dL/db = 2 * mean((a + b*x - y) * x)"
DIVERGED = ("Gradient descent diverged with the defaults: the default lr must be 0.1 (and the "
            "update must subtract lr * gradient).")
DEFAULTS = "The signature must be gradient_descent(x, y, lr=0.1, epochs=1000, seed=42)."
SHAPES = {"flat": lambda n: (n,), "column": lambda n: (n, 1)}
GRADIENTS = ("grad_a", "grad_b")
PARAMETERS = ("a", "b")


# --- data -------------------------------------------------------------------


def _points(seed: int, n: int, x_shape: str, y_shape: str):
    """Noisy points around a random line, and a random point (a, b) to differentiate at."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-2, 2, n)
    y = rng.uniform(-1, 3) + rng.uniform(-2, 2) * x + 0.5 * rng.standard_normal(n)
    a, b = rng.uniform(-3, 3, 2)
    return x.reshape(SHAPES[x_shape](n)), y.reshape(SHAPES[y_shape](n)), float(a), float(b)


def _line(seed: int, n: int = 20, x_shape: str = "column", y_shape: str = "column"):
    """Seed 004's data: y = 1 + 2x plus noise, x in [0, 1]."""
    rng = np.random.default_rng(seed)
    x = rng.random(n)
    y = 1 + 2 * x + 0.1 * rng.standard_normal(n)
    return x.reshape(SHAPES[x_shape](n)), y.reshape(SHAPES[y_shape](n))


def _centred_line(seed: int, n: int = 20, shape: str = "column"):
    """Seed 004's data with x in [-1, 1] and mean(x) = 0: there dL/db does not depend on a,
    so updating a before b's gradient changes nothing and only simultaneous_update shows it."""
    rng = np.random.default_rng(seed)
    half = rng.random(n // 2)
    x = np.concatenate([half, -half])
    y = 1 + 2 * x + 0.1 * rng.standard_normal(x.size)
    return x.reshape(SHAPES[shape](x.size)), y.reshape(SHAPES[shape](x.size))


def _flat(values) -> np.ndarray:
    return np.asarray(values, dtype=float).reshape(-1)


def _pair_close(got, expected, *, rtol: float, atol: float) -> bool:
    """Both numbers of a pair within tolerance."""
    return all(close(g, e, rtol=rtol, atol=atol) for g, e in zip(got, expected, strict=True))


# --- what came back ---------------------------------------------------------


def _array_mistake(value: np.ndarray, names: tuple[str, str], n: int) -> str:
    convert = f"Convert with float(...): `return float({names[0]}), float({names[1]})`."
    if value.size == 1:
        return convert
    return (f"It was not reduced to one number: average over the {n} points with .mean(); if x "
            "and y have shapes (N, 1) and (N,), flatten both first, or they broadcast to (N, N). "
            f"{convert}")


def _shape_of_pair(got, names: tuple[str, str], what: str) -> None:
    """``got`` must hold two things: a tuple or list of two, or (leniently) an array of two."""
    if isinstance(got, np.ndarray) and got.size == 2:
        return
    if isinstance(got, np.ndarray) or not isinstance(got, (tuple, list)) or len(got) != 2:
        fail(f"{what} to return a tuple {names} of two numbers", show(got),
             f"End with `return {names[0]}, {names[1]}`.")


def _as_pair(got, names: tuple[str, str], n: int, what: str) -> tuple[float, float]:
    """Two numbers, whatever their type (floats, NumPy scalars, arrays of one element, one
    array of two): the values are graded here, the types by the ``returns`` checks."""
    _shape_of_pair(got, names, what)
    first, second = (_one_number(value, name, names, n)
                     for name, value in zip(names, list(got), strict=True))
    return first, second


def _one_number(value, name: str, names: tuple[str, str], n: int) -> float:
    if isinstance(value, np.ndarray) and value.size != 1:
        fail(f"{name} to be a single number", show(value), _array_mistake(value, names, n))
    if isinstance(value, (np.ndarray, np.generic)):
        value = value.item()
    return expect_float(value, what=name)


def _expect_pair(got, names: tuple[str, str], n: int, what: str) -> tuple[float, float]:
    """``got`` must be a pair of Python floats; the hint names the first thing wrong."""
    if isinstance(got, np.ndarray):
        fail(f"{what} to return a tuple {names} of two floats", show(got),
             "Return two separate numbers, e.g. `return float(a), float(b)`, not one array.")
    _shape_of_pair(got, names, what)
    for name, value in zip(names, got, strict=True):
        if isinstance(value, np.ndarray):
            fail(f"{name} to be a Python float", show(value), _array_mistake(value, names, n))
    first, second = (expect_float(value, what=name) for name, value in zip(names, got, strict=True))
    return first, second


def _call_backward(submission, x, y, a, b) -> tuple[float, float]:
    got = submission.call("backward", x, y, a, b)
    return _as_pair(got, GRADIENTS, len(_flat(x)), "backward")


# --- diagnosing wrong gradients ---------------------------------------------


def _broadcast_gradients(x, y, a, b):
    """What seed 004's formulas give without flattening: an (N, N) matrix of errors."""
    residual = a + b * x - y
    if residual.shape == np.shape(x):
        raise ValueError("x and y do not broadcast to a matrix here")
    return 2 * float(residual.mean()), 2 * float((x * residual).mean())


def _gradient_candidates(expected, n: int, points) -> list:
    """The wrong gradients students write, as (variant, hint) for ``first_match``."""
    ga, gb = expected
    return [
        (lambda: _broadcast_gradients(*points), "These are the gradients of an (N, N) matrix of "
         "errors: x and y of shapes (N, 1) and (N,) broadcast against each other. Flatten both "
         "with .reshape(-1) first."),
        ((n * ga, n * gb), f"Both gradients are N = {n} times too large: you summed instead of "
         "averaging (seed 000's np.dot(2*x, error).mean() is the mean of one number: the sum)."),
        ((-ga, -gb), "Both gradients have the wrong sign (sign flip): with error = a + b*x - y "
         "they are +2 * mean(error) and +2 * mean(error * x); with seed 004's error = y - yhat "
         "they carry a minus sign."),
        ((gb, ga), "The two gradients are swapped: return grad_a (d/da) first, then grad_b."),
        ((ga / 2, gb / 2), "Both gradients are half the expected: the factor 2 from the "
         "derivative of the square is missing."),
    ]


def _near(got, other) -> bool:
    return _pair_close(got, other, rtol=1e-4, atol=1e-9)


def _diagnose_gradients(got, expected, points) -> str:
    """The likely mistake behind wrong gradients ``got`` at ``points`` = (x, y, a, b)."""
    n = len(_flat(points[0]))
    found = first_match(_gradient_candidates(expected, n, points), got, _near, correct=expected)
    if found:
        return found.hint
    (sa, sb), (ga, gb) = got, expected
    if ga and gb and close(sa / ga, sb / gb, rtol=1e-4) and sa / ga > 0:
        return (f"Both gradients are {sa / ga:.4g} times the expected: average over the {n} "
                "points of this call (.mean(), or divide by len(x)), not a fixed number.")
    if close(sa, ga, rtol=1e-4, atol=1e-9):
        return "grad_a is right but grad_b is not: multiply each error by its x before averaging."
    if close(sb, gb, rtol=1e-4, atol=1e-9):
        return "grad_b is right but grad_a is not: dL/da = 2 * mean(a + b*x - y)."
    return f"Compute {FORMULAS}."


def _expect_gradients(got, expected, points, *, source: str, rtol: float, atol: float) -> None:
    """``got`` must match ``expected`` at ``points`` = (x, y, a, b); else diagnose."""
    if not _pair_close(got, expected, rtol=rtol, atol=atol):
        _, _, a, b = points
        shown = number(tuple(expected), rtol=rtol, atol=atol)
        fail(f"(grad_a, grad_b) = {shown} ({source}) at a={a:.4g}, b={b:.4g}",
             number(tuple(got), digits=6), _diagnose_gradients(got, expected, points))


def _autograd_gradients(x, y, a: float, b: float) -> tuple[float, float]:
    """torch.autograd on the loss's formula, in float64, in the (trusted) parent."""
    xt = torch.as_tensor(_flat(x), dtype=torch.float64)
    yt = torch.as_tensor(_flat(y), dtype=torch.float64)
    at = torch.tensor(a, dtype=torch.float64, requires_grad=True)
    bt = torch.tensor(b, dtype=torch.float64, requires_grad=True)
    ((at + bt * xt - yt) ** 2).mean().backward()
    return at.grad.item(), bt.grad.item()


def _numeric_gradients(x, y, a: float, b: float, step: float = 1e-6) -> tuple[float, float]:
    """Central differences of the loss, with NumPy, in float64."""
    xf, yf = _flat(x), _flat(y)

    def loss(pa: float, pb: float) -> float:
        return float(np.mean((pa + pb * xf - yf) ** 2))

    return ((loss(a + step, b) - loss(a - step, b)) / (2 * step),
            (loss(a, b + step) - loss(a, b - step)) / (2 * step))


# --- backward ---------------------------------------------------------------

VALUE_CASES = [(1, 5, "flat"), (2, 7, "column"), (3, 12, "flat"), (4, 9, "column")]
MIXED_CASES = [(5, 6, "column", "flat"), (6, 8, "flat", "column")]
FD_CASES = [(7, 10, 0.0, 0.0), (8, 11, 8.0, -6.0)]


@pytest.mark.points(1, after="gradient_value")
def test_returns_two_floats(submission):
    x, y, a, b = _points(0, 6, "column", "column")
    got = submission.call("backward", x, y, a, b)
    _expect_pair(got, GRADIENTS, len(_flat(x)), "backward")


@pytest.mark.points(1)
@pytest.mark.parametrize(("seed", "n", "shape"), VALUE_CASES,
                         ids=case_ids(VALUE_CASES, "seed", "N", ""))
def test_gradient_value(submission, seed, n, shape):
    x, y, a, b = _points(seed, n, shape, shape)
    got = _call_backward(submission, x, y, a, b)
    expected = reference.backward(x, y, a, b)
    _expect_gradients(got, expected, (x, y, a, b), source="reference", rtol=1e-6, atol=1e-9)


@pytest.mark.points(1, after="gradient_value")
@pytest.mark.parametrize(("seed", "n", "x_shape", "y_shape"), MIXED_CASES,
                         ids=case_ids([case[2:] for case in MIXED_CASES], "x-", "y-"))
def test_mixed_shapes(submission, seed, n, x_shape, y_shape):
    x, y, a, b = _points(seed, n, x_shape, y_shape)
    got = _call_backward(submission, x, y, a, b)
    expected = reference.backward(x, y, a, b)
    source = f"x of shape {x.shape}, y of shape {y.shape}"
    _expect_gradients(got, expected, (x, y, a, b), source=source, rtol=1e-6, atol=1e-9)


def _varied_cases() -> list:
    """25 varied (x, y, a, b) for one child: edge cases first, then seeded random ones.

    Seeded NumPy rather than Hypothesis, which writes a .hypothesis/ folder into the
    directory grading runs in.
    """
    cases = [(np.array([0.5]), np.array([2.0]), 0.0, 0.0),  # N = 1: a sum equals a mean
             (np.zeros(4), np.ones(4), 1.0, 3.0),  # x = 0: grad_b is 0
             (np.arange(3.0).reshape(3, 1), np.arange(3.0).reshape(3, 1), 0.0, 1.0)]  # exact fit
    rng = np.random.default_rng(2024)
    while len(cases) < 25:
        n, shape = int(rng.integers(2, 16)), ("flat", "column")[len(cases) % 2]
        x, y, _, _ = _points(int(rng.integers(2**16)), n, shape, shape)
        cases.append((x, y, *(float(v) for v in rng.uniform(-10, 10, 2))))
    return cases


PICTURED = (0, 3, 4, 5)  # cases in the report's picture: N = 1, then random ones (not zeros)


def _loose_pair(result) -> tuple:
    """Two numbers from what backward returned, for the report's picture (which bounds them
    again), or (None, None) where it is not a pair of numbers: no verdict here."""
    pair = result if isinstance(result, (tuple, list)) and len(result) == 2 else (None, None)
    try:
        first, second = (float(np.asarray(value, dtype=float).reshape(-1)[0]) for value in pair)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None, None
    return first, second


def _gradient_rows(cases: list, results: list) -> list[tuple]:
    """(parameter, the student's gradient, autograd's) for the ``PICTURED`` cases."""
    rows = []
    for index in PICTURED:
        x, y, a, b = cases[index]
        got, want = _loose_pair(results[index]), _autograd_gradients(x, y, a, b)
        rows += [(f"{name} (case {index + 1}, a={a:.3g}, b={b:.3g})", g, w)
                 for name, g, w in zip(GRADIENTS, got, want, strict=True)]
    return rows


@pytest.mark.points(2)
def test_matches_autograd(submission, figure):
    cases = _varied_cases()
    results = submission.probe(probes.many_gradients, cases)
    results = expect_count(results, len(cases), what="backward on each case")
    figure(Gradients.of("backward's gradients against torch.autograd's",
                        _gradient_rows(cases, results)))
    for (x, y, a, b), result in zip(cases, results, strict=True):
        got = _as_pair(result, GRADIENTS, len(_flat(x)), "backward")
        expected = _autograd_gradients(x, y, a, b)
        scale = 1 + max(abs(value) for value in expected)
        _expect_gradients(got, expected, (x, y, a, b),
                          source=f"torch.autograd, N={len(_flat(x))}", rtol=1e-6, atol=1e-9 * scale)


@pytest.mark.points(1)
@pytest.mark.parametrize(("seed", "n", "a", "b"), FD_CASES,
                         ids=case_ids([(int(a), int(b)) for _, _, a, b in FD_CASES], "a", "b"))
def test_matches_finite_differences(submission, seed, n, a, b):
    x, y, _, _ = _points(seed, n, "column", "column")
    got = _call_backward(submission, x, y, a, b)
    _expect_gradients(got, _numeric_gradients(x, y, a, b), (x, y, a, b),
                      source="central differences of the loss, step 1e-6", rtol=1e-5, atol=1e-6)



# --- gradient_descent ---------------------------------------------------------


def _exact_gradients(x, y, a, b) -> tuple[float, float]:
    """The contract's gradients, computed by the grader (no reference, no student code)."""
    xf, yf = _flat(x), _flat(y)
    residual = a + b * xf - yf
    return 2 * float(np.mean(residual)), 2 * float(np.mean(residual * xf))


def _simulate(x, y, lr: float, epochs: int, start, *, sequential=False, ascent=False):
    """The contract's loop, or a known wrong variant of it, from ``start``."""
    if epochs < 0:
        raise ValueError("no such run")
    a, b = start
    sign = 1 if ascent else -1
    for _epoch in range(epochs):
        grad_a, grad_b = _exact_gradients(x, y, a, b)
        if sequential:  # updates a, then differentiates at the new a for b
            a = a + sign * lr * grad_a
            b = b + sign * lr * _exact_gradients(x, y, a, b)[1]
        else:
            a, b = a + sign * lr * grad_a, b + sign * lr * grad_b
    return (float(a), float(b))


def _start(seed: int) -> tuple[float, float]:
    """The documented start for ``seed``: two standard normals from NumPy's default_rng."""
    drawn = np.random.default_rng(seed).standard_normal(2)
    return float(drawn[0]), float(drawn[1])


def _loop_candidates(x, y, lr: float, epochs: int, start) -> list:
    """Wrong loops students write, run from the student's own start."""
    return [
        (lambda: _simulate(x, y, lr, epochs + 1, start), f"That is the result after "
         f"{epochs + 1} epochs: one epoch too many (loop `for epoch in range(epochs)`)."),
        (lambda: _simulate(x, y, lr, epochs - 1, start), f"That is the result after "
         f"{epochs - 1} epochs: one epoch too few (loop `for epoch in range(epochs)`)."),
        (lambda: _simulate(x, y, 0.1, epochs, start), f"That is the result for lr=0.1: your "
         f"loop ignores the learning rate argument lr={lr}."),
        (lambda: _simulate(x, y, lr, epochs, start, sequential=True), "You updated a before "
         "computing b's gradient, so grad_b used the new a: compute both gradients at the same "
         "(a, b), then update both."),
        (lambda: _simulate(x, y, lr, epochs, start, ascent=True), "You added the gradient: "
         "gradient descent must subtract lr * gradient."),
        (start, "That is the start: the loop did not change a and b."),
    ]


def _same_run(got, other) -> bool:
    return _pair_close(got, other, rtol=1e-7, atol=1e-10)


def _expect_descent(submission, x, y, *, lr: float, epochs: int, seed: int) -> None:
    """The loop alone (the exact gradients swapped in) must follow the reference loop from
    the loop's own start: how that start is drawn is start_from_seed's business."""
    got = submission.probe(probes.trajectory, x, y, lr=lr, epochs=epochs, seed=seed)
    n = len(_flat(x))
    result = _as_pair(got["result"], PARAMETERS, n, "gradient_descent")
    start = _as_pair(got["start"], PARAMETERS, n, "the loop's start (a, b)")
    expected = _simulate(x, y, lr, epochs, start)
    tolerance = {"rtol": 1e-9, "atol": 1e-12}
    if not _pair_close(result, expected, **tolerance):
        found = first_match(_loop_candidates(x, y, lr, epochs, start), result, _same_run,
                            correct=expected)
        fail(f"(a, b) = {number(expected, **tolerance)} after epochs={epochs} with lr={lr} "
             f"from your own start ({start[0]:.6g}, {start[1]:.6g})",
             number(result, digits=10), found.hint if found else
             "Check the loop: epochs updates of a -= lr * grad_a and b -= lr * grad_b.")


def _descend(submission, x, y, **kwargs) -> tuple[float, float]:
    got = submission.probe(probes.descend, x, y, **kwargs)
    return _as_pair(got, PARAMETERS, len(_flat(x)), "gradient_descent")


@pytest.mark.points(1, after="follows_reference_trajectory")
def test_descent_returns_floats(submission):
    x, y = _line(10)
    got = submission.probe(probes.descend, x, y, lr=0.1, epochs=3, seed=0)
    _expect_pair(got, PARAMETERS, len(_flat(x)), "gradient_descent")


def _start_candidates(x, y, seed: int, expected) -> list:
    """Starts students draw instead of the documented one."""
    legacy = np.random.RandomState(seed).randn(2)
    gauss = random.Random(seed)  # what random.seed(seed); random.gauss(0, 1) draws
    return [
        (lambda: _simulate(x, y, 0.1, 1, expected), "That is one step from the start: one "
         "epoch too many with epochs=0."),
        ((float(legacy[0]), float(legacy[1])), "That is np.random.seed(seed) with "
         "np.random.randn: the legacy generator."),
        (lambda: _start(42), "That is the start for seed 42: use the seed argument."),
        (lambda: (gauss.gauss(0, 1), gauss.gauss(0, 1)), "That is random.gauss from Python's "
         "random module: the start comes from NumPy's generator."),
    ]


SEEDS = [0, 3, 2024]


@pytest.mark.points(1, after="gradient_value")
@pytest.mark.parametrize("seed", SEEDS, ids=case_ids(SEEDS, "seed"))
def test_start_from_seed(submission, seed):
    x, y = _line(11)
    got = _descend(submission, x, y, lr=0.1, epochs=0, seed=seed)
    expected = _start(seed)
    if _pair_close(got, expected, rtol=1e-12, atol=0):
        return
    found = first_match(_start_candidates(x, y, seed, expected), got,
                        lambda g, e: _pair_close(g, e, rtol=1e-9, atol=0), correct=expected)
    mistake = found.hint if found else ("That is not the documented start (with epochs=0 it "
                                        "comes back unchanged).")
    fail(f"the start (a, b) = {number(expected, rtol=1e-12)} for seed={seed} and epochs=0",
         number(got, digits=10), f"{mistake} {START}")


@pytest.mark.points(1, after="follows_reference_trajectory")
def test_reproducible(submission):
    x, y = _line(12)
    runs = submission.probe(probes.descend_twice, x, y, lr=0.1, epochs=3, seed=5)
    first, second = expect_count(runs, 2, what="two runs of gradient_descent")
    first = _as_pair(first, PARAMETERS, len(x), "gradient_descent")
    second = _as_pair(second, PARAMETERS, len(x), "gradient_descent")
    if first != second:
        fail("the same (a, b) from two runs with seed=5", f"({first[0]:.6g}, {first[1]:.6g}) "
             f"then ({second[0]:.6g}, {second[1]:.6g})",
             f"The start is not seeded (unseeded np.random or default_rng()). {START}")


@pytest.mark.points(1, after="follows_reference_trajectory")
def test_depends_on_seed(submission):
    x, y = _line(13)
    seeds = [0, 1, 2]
    results = submission.probe(probes.descend_seeds, x, y, seeds, lr=0.1, epochs=3)
    results = [_as_pair(got, PARAMETERS, len(x), "gradient_descent")
               for got in expect_count(results, len(seeds), what="one run per seed")]
    if len(set(results)) < len(seeds):
        fail(f"different (a, b) for seeds {seeds} after 3 epochs",
             ", ".join(f"({a:.6g}, {b:.6g})" for a, b in results),
             f"The start ignores the seed argument. {START}")


EPOCHS = [1, 2, 5]
RATES = [0.01, 0.3]


@pytest.mark.points(1, after="gradient_value")
@pytest.mark.parametrize("epochs", EPOCHS, ids=case_ids(EPOCHS, "epochs"))
def test_follows_reference_trajectory(submission, epochs):
    x, y = _centred_line(14)
    _expect_descent(submission, x, y, lr=0.1, epochs=epochs, seed=7)


@pytest.mark.points(1, after="follows_reference_trajectory")
@pytest.mark.parametrize("lr", RATES, ids=case_ids(RATES, "lr"))
def test_honours_lr(submission, lr):
    x, y = _centred_line(15, shape="flat")
    _expect_descent(submission, x, y, lr=lr, epochs=4, seed=8)


@pytest.mark.points(2, after="follows_reference_trajectory")
def test_simultaneous_update(submission):
    # Stretched x in [0, 3]: there b's gradient changes a lot when a moves first.
    x, y = _line(16, n=12)
    _expect_descent(submission, 3 * x, y, lr=0.1, epochs=1, seed=9)


LINE_CASES = [(42, 100, "column", "column"), (43, 60, "flat", "flat"), (44, 50, "column", "flat")]


def _default_candidates(x, y) -> list:
    """Defaults students pick instead of lr=0.1, epochs=1000."""
    return [(lambda lr=lr, epochs=epochs: _simulate(x, y, lr, epochs, _start(42)),
             f"That is the result for lr={lr}, epochs={epochs}. {DEFAULTS}")
            for lr, epochs in ((0.1, 100), (0.1, 10), (0.01, 1000), (0.01, 100))]


@pytest.mark.points(1, after=("gradient_value", "mixed_shapes", "follows_reference_trajectory"))
@pytest.mark.parametrize(("seed", "n", "x_shape", "y_shape"), LINE_CASES,
                         ids=case_ids([case[1:] for case in LINE_CASES], "N", "x-", "y-"))
def test_recovers_line(submission, seed, n, x_shape, y_shape):
    """End to end, with the student's own backward and the default lr, epochs and seed."""
    x, y = _line(seed, n, x_shape, y_shape)
    got = submission.probe(probes.descend, x, y, exact=False)
    pair = isinstance(got, (tuple, list)) and len(got) == 2
    if pair and all(isinstance(v, float) for v in got) and any(
            not abs(v) < 1e6 for v in got):  # inf and nan included
        fail("a and b near the data's line", f"({got[0]:.4g}, {got[1]:.4g})", DIVERGED)
    got = _as_pair(got, PARAMETERS, n, "gradient_descent")
    # What seed 004's sanity check, scikit-learn's LinearRegression, computes: ordinary
    # least squares with an intercept, solved here without importing scikit-learn (2 s).
    design = np.column_stack([np.ones(_flat(x).size), _flat(x)])
    intercept, slope = np.linalg.lstsq(design, _flat(y), rcond=None)[0]
    expected = (float(intercept), float(slope))
    if not _pair_close(got, expected, rtol=0, atol=1e-3):
        found = first_match(_default_candidates(x, y), got,
                            lambda g, e: _pair_close(g, e, rtol=1e-6, atol=1e-9))
        fail(f"the least-squares line (a, b) = {number(expected, rtol=0, atol=1e-3)} "
             "(scikit-learn's LinearRegression) within 0.001",
             f"(a, b) = {number(got, digits=6)}", found.hint if found else
             "Your backward and your loop pass their checks, so look at the defaults "
             f"(and at state kept between calls). {DEFAULTS}")


# --- variants (hidden) ---------------------------------------------------------
# Last in the file: the sandbox seeds each probe by its place in the run, so a hidden probe
# run before a public one would change what unseeded student code draws there, and the
# student kit (without hidden checks) would show other numbers in its hints.


@pytest.mark.hidden
@pytest.mark.points(1, after=("start_from_seed", "follows_reference_trajectory", "honours_lr",
                              "simultaneous_update"))
def test_variant_descent(submission, variant):
    """The loop (the exact gradients swapped in, as in its public checks) on data, lr, epochs
    and seed of the student's own variant, against the reference's whole run."""
    rng = np.random.default_rng(variant)
    shape = str(rng.choice(list(SHAPES)))
    x, y = _line(int(rng.integers(2**31)), n=int(rng.integers(8, 30)), x_shape=shape,
                 y_shape=shape)
    # lr up to 0.3 on x in [0, 1] converges: no overflow for any draw.
    lr, epochs, seed = float(rng.uniform(0.02, 0.3)), int(rng.integers(2, 8)), int(
        rng.integers(2**31))
    got = _descend(submission, x, y, lr=lr, epochs=epochs, seed=seed)
    expected = reference.gradient_descent(x, y, lr=lr, epochs=epochs, seed=seed)
    tolerance = {"rtol": 1e-9, "atol": 1e-12}
    if not _pair_close(got, expected, **tolerance):
        start = reference.gradient_descent(x, y, epochs=0, seed=seed)
        found = first_match(_loop_candidates(x, y, lr, epochs, start), got, _same_run,
                            correct=expected)
        fail(f"(a, b) = {number(expected, **tolerance)} after epochs={epochs} with lr={lr:.4g} "
             f"and seed={seed}", number(got, digits=10), found.hint if found else
             f"Check the start and the loop: {START}")


@pytest.mark.hidden
@pytest.mark.points(1, after=("gradient_value", "mixed_shapes"))
def test_variant_gradients(submission, variant):
    """backward at points of the student's own variant, every pairing of shapes: copying the
    public answer key's numbers earns nothing here."""
    rng = np.random.default_rng(variant)
    cases = [_points(int(rng.integers(2**31)), int(rng.integers(3, 16)), x_shape, y_shape)
             for x_shape, y_shape in itertools.product(SHAPES, SHAPES)]
    results = submission.probe(probes.many_gradients, cases)
    results = expect_count(results, len(cases), what="backward on each case")
    for (x, y, a, b), result in zip(cases, results, strict=True):
        got = _as_pair(result, GRADIENTS, len(_flat(x)), "backward")
        expected = reference.backward(x, y, a, b)
        scale = 1 + max(abs(value) for value in expected)
        source = f"reference, x of shape {x.shape}, y of shape {y.shape}"
        _expect_gradients(got, expected, (x, y, a, b), source=source, rtol=1e-6,
                          atol=1e-9 * scale)
