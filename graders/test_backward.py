"""Grader for exercise backward: hand-written gradients and batch gradient descent."""

import numpy as np
import pytest
import torch
from sklearn.linear_model import LinearRegression

from graders import close, expect_count, expect_float, fail, number, show
from graders.probes import backward as probes
from solutions import backward as reference

START = ("Draw the start exactly as the docstring says: "
         "`rng = np.random.default_rng(seed); a, b = rng.standard_normal(2)`.")
FORMULAS = "dL/da = 2 * mean(a + b*x - y) and dL/db = 2 * mean((a + b*x - y) * x)"
DIVERGED = ("Gradient descent diverged: subtract lr * gradient, and average the gradients over "
            "the points (a sum is N times too large for lr=0.1).")
SHAPES = {"flat": lambda n: (n,), "column": lambda n: (n, 1)}


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


def _expect_pair(got, names: tuple[str, str], n: int, what: str) -> tuple[float, float]:
    """``got`` must be a pair of floats; the hint names the first thing wrong."""
    if isinstance(got, np.ndarray):
        fail(f"{what} to return a tuple {names} of two floats", show(got),
             "Return two separate numbers, e.g. `return float(a), float(b)`, not one array.")
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        fail(f"{what} to return a tuple {names} of two floats", show(got),
             f"End with `return {names[0]}, {names[1]}`.")
    for name, value in zip(names, got, strict=True):
        if isinstance(value, np.ndarray):
            fail(f"{name} to be a Python float", show(value), _array_mistake(value, names, n))
    first, second = (expect_float(value, what=name) for name, value in zip(names, got, strict=True))
    return first, second


def _call_backward(submission, x, y, a, b) -> tuple[float, float]:
    got = submission.call("backward", x, y, a, b)
    return _expect_pair(got, ("grad_a", "grad_b"), len(_flat(x)), "backward")


# --- diagnosing wrong gradients ---------------------------------------------


def _broadcast_gradients(x, y, a, b):
    """What seed 004's formulas give without flattening: an (N, N) matrix of errors."""
    error = a + b * x - y
    if error.shape == np.shape(x):
        return None
    return 2 * float(error.mean()), 2 * float((x * error).mean())


def _diagnose_gradients(got, expected, n: int, broadcast=None) -> str:
    """The likely mistake behind wrong gradients ``got`` (``expected`` is right)."""
    (sa, sb), (ga, gb) = got, expected

    def near(pa: float, pb: float) -> bool:
        return close(sa, pa, rtol=1e-4, atol=1e-9) and close(sb, pb, rtol=1e-4, atol=1e-9)

    signatures = [
        (broadcast, "These are the gradients of an (N, N) matrix of errors: x and y of shapes "
         "(N, 1) and (N,) broadcast against each other. Flatten both with .reshape(-1) first."),
        ((n * ga, n * gb), f"Both gradients are N = {n} times too large: you summed instead of "
         "averaging (seed 000's np.dot(2*x, error).mean() is the mean of one number: the sum)."),
        ((-ga, -gb), "Both gradients have the wrong sign (sign flip): with error = a + b*x - y "
         "they are +2 * mean(error) and +2 * mean(error * x); with seed 004's error = y - yhat "
         "they carry a minus sign."),
        ((gb, ga), "The two gradients are swapped: return grad_a (d/da) first, then grad_b."),
        ((ga / 2, gb / 2), "Both gradients are half the expected: the factor 2 from the "
         "derivative of the square is missing."),
    ]
    for values, mistake in signatures:
        if values is not None and near(*values):
            return mistake
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
    x, y, a, b = points
    if not _pair_close(got, expected, rtol=rtol, atol=atol):
        hint = _diagnose_gradients(got, expected, len(_flat(x)), _broadcast_gradients(x, y, a, b))
        shown = number(tuple(expected), rtol=rtol, atol=atol)
        fail(f"(grad_a, grad_b) = {shown} ({source}) at a={a:.4g}, b={b:.4g}",
             number(tuple(got), digits=6), hint)


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


@pytest.mark.points(1)
def test_returns_two_floats(submission):
    x, y, a, b = _points(0, 6, "column", "column")
    _call_backward(submission, x, y, a, b)


VALUE_CASES = [(1, 5, "flat"), (2, 7, "column"), (3, 12, "flat"), (4, 9, "column")]


@pytest.mark.points(1)
@pytest.mark.parametrize(("seed", "n", "shape"), VALUE_CASES,
                         ids=[f"seed{s}-N{n}-{shape}" for s, n, shape in VALUE_CASES])
def test_gradient_value(submission, seed, n, shape):
    x, y, a, b = _points(seed, n, shape, shape)
    got = _call_backward(submission, x, y, a, b)
    expected = reference.backward(x, y, a, b)
    _expect_gradients(got, expected, (x, y, a, b), source="reference", rtol=1e-6, atol=1e-9)


MIXED_CASES = [(5, 6, "column", "flat"), (6, 8, "flat", "column")]


@pytest.mark.points(1)
@pytest.mark.parametrize(("seed", "n", "x_shape", "y_shape"), MIXED_CASES,
                         ids=[f"x-{xs}-y-{ys}" for _, _, xs, ys in MIXED_CASES])
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


@pytest.mark.points(2)
def test_matches_autograd(submission):
    cases = _varied_cases()
    results = submission.probe(probes.many_gradients, cases)
    results = expect_count(results, len(cases), what="backward on each case")
    for (x, y, a, b), result in zip(cases, results, strict=True):
        got = _expect_pair(result, ("grad_a", "grad_b"), len(_flat(x)), "backward")
        expected = _autograd_gradients(x, y, a, b)
        scale = 1 + max(abs(value) for value in expected)
        _expect_gradients(got, expected, (x, y, a, b),
                          source=f"torch.autograd, N={len(_flat(x))}", rtol=1e-6, atol=1e-9 * scale)


FD_CASES = [(7, 10, 0.0, 0.0), (8, 11, 8.0, -6.0)]


@pytest.mark.points(1)
@pytest.mark.parametrize(("seed", "n", "a", "b"), FD_CASES,
                         ids=[f"a{a:g}-b{b:g}" for _, _, a, b in FD_CASES])
def test_matches_finite_differences(submission, seed, n, a, b):
    x, y, _, _ = _points(seed, n, "column", "column")
    got = _call_backward(submission, x, y, a, b)
    _expect_gradients(got, _numeric_gradients(x, y, a, b), (x, y, a, b),
                      source="central differences of the loss, step 1e-6", rtol=1e-5, atol=1e-6)


# --- gradient_descent ---------------------------------------------------------


def _simulate(x, y, lr: float, epochs: int, start, *, sequential=False, ascent=False):
    """The reference loop, or a known wrong variant of it, from ``start``."""
    a, b = start
    sign = 1 if ascent else -1
    for _ in range(epochs):
        grad_a, grad_b = reference.backward(x, y, a, b)
        if sequential:  # updates a, then differentiates at the new a for b
            a = a + sign * lr * grad_a
            b = b + sign * lr * reference.backward(x, y, a, b)[1]
        else:
            a, b = a + sign * lr * grad_a, b + sign * lr * grad_b
    return float(a), float(b)


def _start(seed: int) -> tuple[float, float]:
    return reference.gradient_descent(np.zeros(1), np.zeros(1), epochs=0, seed=seed)


def _wrong_starts(seed: int) -> list[tuple[float, float]]:
    """Starts students draw instead: seed 004's legacy np.random, and seed 42 always."""
    legacy = np.random.RandomState(seed).randn(2)
    return [(float(legacy[0]), float(legacy[1])), _start(42)]


def _diagnose_descent(got, x, y, *, lr: float, epochs: int, seed: int) -> str:
    """The likely mistake behind a wrong (a, b) after ``epochs`` epochs."""
    start = _start(seed)
    signatures = [
        (_simulate(x, y, lr, epochs + 1, start), f"That is the result after {epochs + 1} "
         "epochs: one epoch too many (loop `for epoch in range(epochs)`)."),
        (_simulate(x, y, lr, epochs - 1, start) if epochs else None, f"That is the result "
         f"after {epochs - 1} epochs: one epoch too few (loop `for epoch in range(epochs)`)."),
        (_simulate(x, y, 0.1, epochs, start) if lr != 0.1 else None, f"That is the result for "
         f"lr=0.1: your loop ignores the learning rate argument lr={lr}."),
        (_simulate(x, y, lr, epochs, start, sequential=True), "You updated a before computing "
         "b's gradient, so grad_b used the new a: compute both gradients at the same (a, b), "
         "then update both."),
        (_simulate(x, y, lr, epochs, start, ascent=True), "You added the gradient: gradient "
         "descent must subtract lr * gradient."),
    ]
    for other in _wrong_starts(seed):
        signatures.append((_simulate(x, y, lr, epochs, other), "The loop is right but the start "
                           f"is not the documented one. {START}"))
    for values, mistake in signatures:
        if values is not None and _pair_close(got, values, rtol=1e-7, atol=1e-10):
            return mistake
    if epochs and _pair_close(got, start, rtol=1e-12, atol=1e-12):
        return "That is the start: the loop did not change a and b."
    return "Check the loop: epochs updates of a -= lr * grad_a and b -= lr * grad_b."


def _descend(submission, x, y, exact=True, **kwargs) -> tuple[float, float]:
    got = submission.probe(probes.descend, x, y, exact=exact, **kwargs)
    return _expect_pair(got, ("a", "b"), len(_flat(x)), "gradient_descent")


def _expect_descent(submission, x, y, *, lr: float, epochs: int, seed: int) -> None:
    """The loop alone (with exact gradients swapped in) must follow the reference."""
    got = _descend(submission, x, y, lr=lr, epochs=epochs, seed=seed)
    expected = reference.gradient_descent(x, y, lr=lr, epochs=epochs, seed=seed)
    tolerance = {"rtol": 1e-9, "atol": 1e-12}
    if not _pair_close(got, expected, **tolerance):
        fail(f"(a, b) = {number(tuple(expected), **tolerance)} after epochs={epochs} with "
             f"lr={lr}, seed={seed}", number(tuple(got), digits=10),
             _diagnose_descent(got, x, y, lr=lr, epochs=epochs, seed=seed))


@pytest.mark.points(1)
def test_descent_returns_floats(submission):
    x, y = _line(10)
    _descend(submission, x, y, lr=0.1, epochs=3, seed=0)


@pytest.mark.points(1)
@pytest.mark.parametrize("seed", [0, 3, 2024], ids=lambda seed: f"seed{seed}")
def test_start_from_seed(submission, seed):
    x, y = _line(11)
    got = _descend(submission, x, y, lr=0.1, epochs=0, seed=seed)
    expected = _start(seed)
    if _pair_close(got, expected, rtol=1e-12, atol=0):
        return
    legacy, seed_42 = _wrong_starts(seed)
    if _pair_close(got, _simulate(x, y, 0.1, 1, expected), rtol=1e-9, atol=0):
        mistake = "That is one step from the start: one epoch too many with epochs=0."
    elif _pair_close(got, legacy, rtol=1e-12, atol=0):
        mistake = "That is np.random.seed(seed) with np.random.randn: the legacy generator."
    elif _pair_close(got, seed_42, rtol=1e-12, atol=0):
        mistake = "That is the start for seed 42: use the seed argument."
    else:
        mistake = "That is not the documented start (with epochs=0 it comes back unchanged)."
    fail(f"the start (a, b) = {number(tuple(expected), rtol=1e-12)} for seed={seed} and "
         "epochs=0", number(tuple(got), digits=10), f"{mistake} {START}")


@pytest.mark.points(1)
def test_reproducible(submission):
    x, y = _line(12)
    runs = submission.probe(probes.descend_twice, x, y, lr=0.1, epochs=3, seed=5)
    first, second = expect_count(runs, 2, what="two runs of gradient_descent")
    first = _expect_pair(first, ("a", "b"), len(x), "gradient_descent")
    second = _expect_pair(second, ("a", "b"), len(x), "gradient_descent")
    if first != second:
        fail("the same (a, b) from two runs with seed=5", f"({first[0]:.6g}, {first[1]:.6g}) "
             f"then ({second[0]:.6g}, {second[1]:.6g})",
             f"The start is not seeded (unseeded np.random or default_rng()). {START}")


@pytest.mark.points(1)
def test_depends_on_seed(submission):
    x, y = _line(13)
    seeds = [0, 1, 2]
    results = submission.probe(probes.descend_seeds, x, y, seeds, lr=0.1, epochs=3)
    results = [_expect_pair(got, ("a", "b"), len(x), "gradient_descent")
               for got in expect_count(results, len(seeds), what="one run per seed")]
    if len(set(results)) < len(seeds):
        fail(f"different (a, b) for seeds {seeds} after 3 epochs",
             ", ".join(f"({a:.6g}, {b:.6g})" for a, b in results),
             f"The start ignores the seed argument. {START}")


@pytest.mark.points(1)
@pytest.mark.parametrize("epochs", [1, 2, 5], ids=lambda epochs: f"epochs{epochs}")
def test_follows_reference_trajectory(submission, epochs):
    x, y = _line(14)
    _expect_descent(submission, x, y, lr=0.1, epochs=epochs, seed=7)


@pytest.mark.points(1)
@pytest.mark.parametrize("lr", [0.01, 0.3], ids=lambda lr: f"lr{lr}")
def test_honours_lr(submission, lr):
    x, y = _line(15, x_shape="flat", y_shape="flat")
    _expect_descent(submission, x, y, lr=lr, epochs=4, seed=8)


@pytest.mark.points(2)
def test_simultaneous_update(submission):
    x, y = _line(16, n=12)
    _expect_descent(submission, 3 * x, y, lr=0.2, epochs=1, seed=9)


LINE_CASES = [(42, 100, "column", "column"), (43, 60, "flat", "flat"), (44, 50, "column", "flat")]


@pytest.mark.points(1)
@pytest.mark.parametrize(("seed", "n", "x_shape", "y_shape"), LINE_CASES,
                         ids=[f"N{n}-x-{xs}-y-{ys}" for _, n, xs, ys in LINE_CASES])
def test_recovers_line(submission, seed, n, x_shape, y_shape):
    """End to end, with the student's own backward and the default lr, epochs and seed."""
    x, y = _line(seed, n, x_shape, y_shape)
    got = submission.probe(probes.descend, x, y, exact=False)
    pair = isinstance(got, (tuple, list)) and len(got) == 2
    if pair and all(isinstance(v, float) for v in got) and any(
            not abs(v) < 1e6 for v in got):  # inf and nan included
        fail("a and b near the data's line", f"({got[0]:.4g}, {got[1]:.4g})", DIVERGED)
    got = _expect_pair(got, ("a", "b"), n, "gradient_descent")
    fit = LinearRegression().fit(_flat(x).reshape(-1, 1), _flat(y))
    expected = (float(fit.intercept_), float(fit.coef_[0]))
    if not _pair_close(got, expected, rtol=0, atol=1e-3):
        fail(f"the least-squares line (a, b) = {number(expected, rtol=0, atol=1e-3)} "
             "(scikit-learn's LinearRegression) within 0.001",
             f"(a, b) = {number(got, digits=6)}",
             "Check backward (see its checks) and the defaults lr=0.1, epochs=1000, seed=42.")
