"""Grader for exercise autograd: leaf_gradients and sgd_update_.

The gradients are compared with analytic ones written out below (not with the
reference's autograd), on the seeds' expressions and on random inputs.
"""

import pytest
import torch

from graders import (
    Gradients,
    Raised,
    TensorInfo,
    close,
    expect_count,
    fail,
    first_match,
    number,
    show,
    tensors_close,
)
from graders.probes import autograd as probes

META = "meta"
GRADIENT_TOLERANCE = {"rtol": 1e-5, "atol": 1e-6}
UPDATE_TOLERANCE = {"rtol": 1e-5, "atol": 1e-7}
# The core: the gradients leaf_gradients returns (on the seeds' examples, on random inputs,
# with an unused input), and what sgd_update_ does to the parameters (their values,
# updated in place as leaves, their gradients cleared, two steps of seed 004's loop). The
# properties (plain tensors, the caller's inputs untouched, repeatable calls, a generator of
# parameters, a missing gradient, the meta device) are graded once their core is right.
LEAF_CORE = ("leaf_gradients_seed_examples", "leaf_gradients_random",
             "leaf_gradients_unused_input")
SGD_CORE = ("sgd_values", "sgd_keeps_leaves", "sgd_clears_gradients", "sgd_two_steps")
CORE = LEAF_CORE + SGD_CORE


def _t(value, dtype=torch.float32) -> torch.Tensor:
    return torch.tensor(value, dtype=dtype)


def _randn(generator, *shape, dtype=torch.float32) -> torch.Tensor:
    return torch.randn(shape, generator=generator, dtype=dtype)


# --- the cases: inputs, which of them require grad, and the analytic gradients ---------------


def _seed_cases() -> dict:
    a, b, d = _t(3.0), _t(2.0), _t(4.0)
    x, w, bias = _t(3.0), _t(4.0), _t(5.0)
    ones = torch.ones(2, 2)
    return {
        "seed001-L=A*B+D": (probes.seed_001_graph, [a, b, d], [True] * 3, [b, a, _t(1.0)]),
        "seed002-y=w*x+b": (probes.seed_002_line, [x, w, bias], [False, True, True],
                            [w, x, _t(1.0)]),
        "seed003-mean(3(x+2)^2)": (probes.seed_003_mean, [ones], [True],
                                   [6 * (ones + 2) / ones.numel()]),
    }


def _line_case(seed: int, n: int) -> tuple:
    g = torch.Generator().manual_seed(seed)
    a, b, x, y = _randn(g), _randn(g), _randn(g, n), _randn(g, n)
    error = a + b * x - y
    grads = [2 * error.mean(), 2 * (error * x).mean(), 2 * b * error / n, -2 * error / n]
    return probes.line_loss, [a, b, x, y], [True, True, False, False], grads


def _bilinear_case(seed: int, rows: int = 3, columns: int = 4) -> tuple:
    g = torch.Generator().manual_seed(seed)
    u, m, v = (_randn(g, rows, dtype=torch.float64), _randn(g, rows, columns, dtype=torch.float64),
               _randn(g, columns, dtype=torch.float64))
    return probes.bilinear, [u, m, v], [False, True, False], [m @ v, torch.outer(u, v), m.T @ u]


def _tanh_case(seed: int) -> tuple:
    x = _randn(torch.Generator().manual_seed(seed), 2, 3)
    return probes.tanh_sum, [x], [False], [1 - torch.tanh(x) ** 2]


RANDOM_CASES = {"seed004-line-loss": lambda: _line_case(5, 6),
                "bilinear-float64": lambda: _bilinear_case(6), "tanh-2x3": lambda: _tanh_case(7)}


# --- leaf_gradients: hints -------------------------------------------------------------------


def _gradient_advice(outcome: Raised) -> str:
    message = outcome.message
    if "does not require grad and does not have a grad_fn" in message:
        return ("fn's result has no history: no leaf required grad, or fn ran under "
                f"torch.no_grad(). Every input's gradient is asked for {SEED_002_X}: make each "
                "input a leaf that requires grad (x.detach().requires_grad_()) before calling fn.")
    if "appears to not have been used in the graph" in message:
        return ("An input fn does not use has no gradient: pass allow_unused=True and return "
                "torch.zeros_like(x) for it.")
    if "can't call numpy()" in message.lower() or "meta" in message:
        return "Keep the computation in torch, on the inputs' device."
    return ""


def _run(submission, fn, tensors, requires, calls=1) -> dict:
    return submission.probe(probes.gradients, fn, tensors, requires, calls=calls,
                            diagnose=_gradient_advice)


def _results(got: dict, calls: int = 1) -> list:
    """The results of the ``calls`` calls to leaf_gradients the probe made."""
    return expect_count(got["results"], calls, what=f"{calls} call(s) to leaf_gradients")


def _expect_tuple(result, count: int) -> list:
    if isinstance(result, list):
        fail(f"a tuple of {count} gradients", "a list",
             "Return a tuple, one gradient per input: tuple(grads).")
    if not isinstance(result, tuple):
        fail(f"a tuple of {count} gradients", show(result),
             "Return a tuple with one gradient tensor per input.")
    if len(result) != count:
        fail(f"a tuple of {count} gradients, one per input", f"{len(result)} of them",
             "Return one gradient per input, in the order of the inputs.")
    return list(result)


def _same_gradient(a: torch.Tensor, b: torch.Tensor) -> bool:
    return tuple(a.shape) == tuple(b.shape) and tensors_close(a, b, **GRADIENT_TOLERANCE)


def _value_mistake(index: int, got: torch.Tensor, expected: list, used: bool) -> str:
    """The likely mistake behind a wrong gradient number ``index``."""
    want = expected[index]
    # Another input's gradient in this place: the gradients returned out of order.
    swapped = [(other, f"That is the gradient of input {j}: return the gradients in the order "
                "of the inputs.") for j, other in enumerate(expected) if j != index]
    found = first_match(swapped, got, _same_gradient, correct=want)
    if found:
        return found.hint
    if tensors_close(got, want, rtol=1e-2, atol=1e-3):
        return ("Close, but only approximately: finite differences are not exact; use "
                "autograd (backward() or torch.autograd.grad).")
    if not used:
        return "fn does not use this input: its gradient is zeros, torch.zeros_like(x)."
    return "Differentiate fn(*leaves) with autograd, with respect to each leaf."


CLONE_KEEPS_HISTORY = "x.clone() keeps the history of a tensor that requires grad"
SEED_002_X = "(seed 002's dy/dx, which the seed leaves as None)"
NOT_A_LEAF = (f"the copy was not a leaf when fn ran: {CLONE_KEEPS_HISTORY}, and backward "
              "leaves the .grad of a non-leaf None; make leaves with x.detach().requires_grad_().")
FLIPPED = ("You switched gradients on for the caller's tensor: call fn on leaf copies, "
           "x.detach().requires_grad_(), and leave x alone.")


def _none_mistake(index: int, unused: tuple, requires: list | None) -> str:
    if index in unused:
        return "An input fn does not use still gets a gradient: torch.zeros_like(x), not None."
    if requires is not None and not requires[index]:
        return (f"Input {index} does not require grad, but its gradient is asked for too "
                f"{SEED_002_X}: make every leaf require grad.")
    return f"Its .grad is None because {NOT_A_LEAF}"


def _expect_gradients(result, tensors: list, expected: list, unused: tuple = (),
                      requires: list | None = None) -> None:
    grads = _expect_tuple(result, len(tensors))
    for index, (grad, x, want) in enumerate(zip(grads, tensors, expected, strict=True)):
        what = f"gradient {index} (d fn / d input {index}, shape {tuple(x.shape)})"
        if grad is None:
            fail(f"{what} to be a tensor", "None", _none_mistake(index, unused, requires))
        if not isinstance(grad, TensorInfo):
            fail(f"{what} to be a tensor", show(grad),
                 "Return the gradient tensors themselves, not numbers or arrays.")
        if grad.shape != tuple(x.shape) or grad.dtype != str(x.dtype):
            fail(f"{what} of dtype {str(x.dtype).removeprefix('torch.')}", str(grad),
                 "A gradient has its input's shape and dtype: differentiate with respect to "
                 "the input itself, not a converted copy.")
        if not tensors_close(grad.data, want, **GRADIENT_TOLERANCE):
            required = requires is not None and requires[index]
            mistake = ("Zeros for an input fn uses: when they stand in for a .grad that was None, "
                       f"{NOT_A_LEAF}"
                       if required and not grad.data.any() else
                       _value_mistake(index, grad.data, expected, index not in unused))
            fail(f"{what} = {number(want, **GRADIENT_TOLERANCE)}", number(grad.data, digits=6),
                 mistake)


# --- leaf_gradients: checks -------------------------------------------------------------------


# The case the report pictures, and its inputs' names: seed 002's line, whose x requires no
# grad in the seed but whose gradient is asked for too (a slip that leaves it None shows).
PICTURED, PICTURED_NAMES = "seed002-y=w*x+b", ("x", "w", "b")


def _gradient_rows(result, names: tuple, expected: list) -> list[tuple]:
    """(input, the student's gradient, the analytic one), element by element, for the
    report's picture (which bounds them again); None where the student's gradient is not a
    tensor of the input's shape with values. No verdict here."""
    grads = list(result) if isinstance(result, (tuple, list)) else []
    rows = []
    for index, (name, want) in enumerate(zip(names, expected, strict=True)):
        grad = grads[index] if index < len(grads) else None
        usable = (isinstance(grad, TensorInfo) and grad.data is not None
                  and tuple(grad.shape) == tuple(want.shape))
        values = grad.data.flatten().tolist() if usable else [None] * want.numel()
        labels = [name] if want.numel() == 1 else [f"{name}[{i}]" for i in range(want.numel())]
        rows += zip(labels, values, want.flatten().tolist(), strict=True)
    return rows


@pytest.mark.points(1)
@pytest.mark.parametrize("case", list(_seed_cases()))
def test_leaf_gradients_seed_examples(submission, case, figure):
    fn, tensors, requires, expected = _seed_cases()[case]
    got = _run(submission, fn, tensors, requires)
    result = _results(got)[0]
    if case == PICTURED:
        figure(Gradients.of(f"leaf_gradients against the analytic gradients ({case})",
                            _gradient_rows(result, PICTURED_NAMES, expected)))
    _expect_gradients(result, tensors, expected, requires=requires)


@pytest.mark.points(1)
@pytest.mark.parametrize("case", list(RANDOM_CASES))
def test_leaf_gradients_random(submission, case):
    fn, tensors, requires, expected = RANDOM_CASES[case]()
    got = _run(submission, fn, tensors, requires)
    _expect_gradients(_results(got)[0], tensors, expected, requires=requires)


@pytest.mark.points(1)
def test_leaf_gradients_unused_input(submission):
    g = torch.Generator().manual_seed(8)
    a, b = _randn(g, 3), _randn(g, 2, 3)
    got = _run(submission, probes.first_only, [a, b], [False, False])
    _expect_gradients(_results(got)[0], [a, b], [2 * a, torch.zeros(2, 3)], unused=(1,),
                      requires=[False, False])


@pytest.mark.points(1, after=LEAF_CORE)
def test_leaf_gradients_plain_tensors(submission):
    fn, tensors, requires, _ = RANDOM_CASES["seed004-line-loss"]()
    got = _run(submission, fn, tensors, requires)
    for index, grad in enumerate(_expect_tuple(_results(got)[0], len(tensors))):
        if isinstance(grad, TensorInfo) and (grad.requires_grad or grad.grad_fn):
            fail(f"gradient {index} to be a plain tensor (no grad_fn, no requires_grad)",
                 f"requires_grad={grad.requires_grad}, grad_fn {grad.grad_fn}",
                 "The gradients carry a graph of their own (create_graph=True, or torch.func "
                 "on inputs that require grad): return them detached, without create_graph.")


@pytest.mark.points(2, after=LEAF_CORE)
def test_leaf_gradients_inputs_untouched(submission):
    fn, tensors, requires, _ = RANDOM_CASES["seed004-line-loss"]()
    states = _run(submission, fn, tensors, requires)["inputs"]
    states = expect_count(states, len(tensors), what="the state of each input")
    # One kind of change at a time, over all inputs: the first kind names the mistake.
    for index, (state, flag) in enumerate(zip(states, requires, strict=True)):
        if state["requires_grad"] != flag:
            fail(f"the caller's input {index} to keep requires_grad={flag}",
                 f"requires_grad={state['requires_grad']} after leaf_gradients", FLIPPED)
    for index, (state, flag) in enumerate(zip(states, requires, strict=True)):
        if state["grad"] is not None:
            fail(f"the caller's input {index} (requires_grad={flag}) to keep .grad None",
                 f".grad = {show(state['grad'])}",
                 "Backward ran through the caller's tensor and wrote its .grad: fn must see "
                 f"detached copies ({CLONE_KEEPS_HISTORY}; x.detach() does not).")
    for index, (state, sent) in enumerate(zip(states, tensors, strict=True)):
        after = state["values"]
        if not isinstance(after, TensorInfo) or not tensors_close(after.data, sent, rtol=0,
                                                                   atol=0):
            fail(f"the caller's input {index} to keep its values {number(sent, rtol=0)}",
                 number(after.data, digits=6) if isinstance(after, TensorInfo) else show(after),
                 "Don't modify the inputs in place.")


@pytest.mark.hidden
@pytest.mark.points(2, after=LEAF_CORE)
def test_variant_leaf_gradients(submission, variant):
    """The gradients on inputs of the student's own variant: seed 004's line loss over a
    drawn number of points (3-12) and a bilinear form of drawn sizes (2-5 by 2-5)."""
    g = torch.Generator().manual_seed(variant)
    n = int(torch.randint(3, 13, (1,), generator=g))
    rows, columns = (int(size) for size in torch.randint(2, 6, (2,), generator=g))
    for fn, tensors, requires, expected in (_line_case(variant, n),
                                            _bilinear_case(variant + 1, rows, columns)):
        got = _run(submission, fn, tensors, requires)
        _expect_gradients(_results(got)[0], tensors, expected, requires=requires)


def _repeat_mistake(states: list, requires: list) -> str:
    """Why a second call's gradients are twice the first's: where they accumulated."""
    if any(state["requires_grad"] != flag for state, flag in zip(states, requires, strict=True)):
        return f"Twice the first: gradients accumulated in the caller's .grad. {FLIPPED}"
    if any(state["grad"] is not None for state in states):
        return ("Twice the first: backward ran through the caller's tensors and accumulated in "
                f"their .grad ({CLONE_KEEPS_HISTORY}; x.detach() does not).")
    return ("Twice the first: gradients accumulated in .grad across calls. Use fresh leaves in "
            "every call (x.detach().requires_grad_()), not leaves kept from an earlier call.")


@pytest.mark.points(1, after=LEAF_CORE)
def test_leaf_gradients_repeatable(submission):
    fn, tensors, requires, expected = _seed_cases()["seed002-y=w*x+b"]
    got = _run(submission, fn, tensors, requires, calls=2)
    first, second = _results(got, calls=2)
    _expect_gradients(first, tensors, expected)
    grads = _expect_tuple(second, len(tensors))
    for index, (grad, want) in enumerate(zip(grads, expected, strict=True)):
        value = grad.data if isinstance(grad, TensorInfo) else None
        if value is None or not tensors_close(value, want, **GRADIENT_TOLERANCE):
            doubled = value is not None and tensors_close(value, 2 * want, **GRADIENT_TOLERANCE)
            fail(f"the second call's gradient {index} = {number(want, **GRADIENT_TOLERANCE)}, "
                 "like the first", number(value, digits=6) if value is not None else show(grad),
                 _repeat_mistake(got["inputs"], requires) if doubled else
                 "Each call must start afresh from the inputs.")


def _expect_on(result, shapes: list, device: str) -> None:
    grads = _expect_tuple(result, len(shapes))
    for index, (grad, shape) in enumerate(zip(grads, shapes, strict=True)):
        if not isinstance(grad, TensorInfo) or grad.device.split(":")[0] != device or (
                grad.shape != shape):
            fail(f"gradient {index} of shape {shape} on {device}", show(grad),
                 "Build every gradient on its input's device: torch.zeros_like(x), not "
                 "torch.zeros(x.shape), which lives on the CPU.")


@pytest.mark.points(1, after=LEAF_CORE)
def test_leaf_gradients_meta(submission):
    shapes = [(3,), (2, 3)]
    got = submission.probe(probes.gradients_on, probes.first_only, shapes, META,
                           diagnose=_gradient_advice)
    _expect_on(got, shapes, META)


@pytest.mark.points(0, after=LEAF_CORE)
def test_cuda_leaf_gradients(submission, cuda):
    shapes = [(3,), (2, 3)]
    got = submission.probe(probes.gradients_on, probes.first_only, shapes, cuda,
                           diagnose=_gradient_advice)
    _expect_on(got, shapes, cuda)


# --- sgd_update_: hints ------------------------------------------------------------------------

FIRST_ATTEMPT = ("p = p - lr * p.grad (seed 004's first attempt) makes a new tensor that is not "
                 "a leaf, so its .grad is None and the parameter itself never changes: update "
                 "in place, p -= lr * p.grad, inside torch.no_grad().")


def _sgd_advice(outcome: Raised) -> str:
    message = outcome.message
    if "leaf Variable that requires grad" in message:
        return ("Autograd refuses to change a leaf that requires grad in place while it records "
                "(seed 004's second attempt): do the update inside `with torch.no_grad():`.")
    if "has no attribute 'zero_'" in message:
        return FIRST_ATTEMPT
    if "NoneType" in message:
        return ("A parameter whose .grad is None (the loss did not use it) must be skipped: "
                "if p.grad is None: continue.")
    if "context manager protocol" in message:
        return "torch.no_grad needs its parentheses: with torch.no_grad():."
    if "assign a gradient" in message or "assigned grad" in message:
        return ("p.grad = torch.zeros(p.shape) builds zeros on the CPU (float32 unless given "
                "a dtype): clear with p.grad = None, p.grad.zero_() or torch.zeros_like(p).")
    if "item assignment" in message:
        return ("params may be a generator (model.parameters()): update each tensor in place "
                "instead of replacing it in the container.")
    return ""


def _sgd(submission, values, grads, lr, **kwargs) -> dict:
    """sgd_update_ on fresh parameters in the child; one state per parameter, or the check fails."""
    got = submission.probe(probes.sgd_step, values, grads, lr, diagnose=_sgd_advice, **kwargs)
    got["params"] = expect_count(got["params"], len(values), what="the state of each parameter")
    return got


def _values_mistake(got, value, grad, lr, grad_after) -> str:
    """The likely mistake behind a wrongly updated parameter: which wrong update it is."""
    cleared = grad_after is None or (isinstance(grad_after, TensorInfo)
                                     and grad_after.data is not None and not grad_after.data.any())
    unchanged = ("The gradients were cleared before they were used: subtract lr * p.grad "
                 "first, then clear p.grad." if cleared else
                 "p = p - lr * p.grad only rebinds the loop variable (seed 004's first attempt): "
                 "change the parameter itself in place, p -= lr * p.grad, inside "
                 "torch.no_grad().")
    candidates = [
        (value, unchanged),
        (lambda: value + lr * grad, "You added the gradient: descent subtracts it, "
         "p -= lr * p.grad."),
        (lambda: value - grad, f"You ignored the learning rate: p -= lr * p.grad, with lr = {lr}."),
    ]
    found = first_match(candidates, got, lambda a, b: tensors_close(a, b, **UPDATE_TOLERANCE),
                        correct=value - lr * grad)
    return found.hint if found else "Each parameter becomes p - lr * p.grad."


SGD_CASES = {
    # seed 004's a and b, one element each, lr = 0.1
    "seed004-a-b-lr0.1": (0, [(1,), (1,)], 0.1),
    "weight-3x2-bias-2-lr0.05": (1, [(3, 2), (2,)], 0.05),
}


def _sgd_case(name: str):
    seed, shapes, lr = SGD_CASES[name]
    g = torch.Generator().manual_seed(seed)
    values = [_randn(g, *shape) for shape in shapes]
    grads = [_randn(g, *shape) for shape in shapes]
    return values, grads, lr


def _expect_updated(got: dict, values, grads, lr, what: str = "") -> None:
    for index, (state, value, grad) in enumerate(zip(got["params"], values, grads,
                                                     strict=True)):
        param = state["param"]
        if not isinstance(param, TensorInfo):
            fail(f"parameter {index}{what} to stay a tensor", show(param),
                 "Update the parameters in place; don't replace them.")
        if grad is None:
            want, mistake = value, "A parameter without a gradient must stay as it is."
        else:
            want = value - lr * grad
            mistake = _values_mistake(param.data, value, grad, lr, state["grad"])
        if not tensors_close(param.data, want, **UPDATE_TOLERANCE):
            fail(f"parameter {index}{what} = {number(want, **UPDATE_TOLERANCE)} after "
                 f"sgd_update_(params, lr={lr})", number(param.data, digits=6), mistake)


def _expect_cleared(got: dict, grads, what: str = "", advice: str = "") -> None:
    for index, (state, grad) in enumerate(zip(got["params"], grads, strict=True)):
        after = state["grad"]
        if grad is None or after is None:
            continue
        if isinstance(after, TensorInfo) and after.data is not None and not after.data.any():
            continue
        fail(f"parameter {index}{what}'s .grad cleared (None or zeros) after the update",
             f".grad = {number(after, digits=6) if isinstance(after, TensorInfo) else show(after)}",
             advice or "Gradients accumulate: clear p.grad after each update (p.grad = None or "
             "p.grad.zero_()), or the next backward adds to it and the next step uses both "
             "batches' gradients (seed 002's step 6).")


# --- sgd_update_: checks -----------------------------------------------------------------------


@pytest.mark.points(2)
@pytest.mark.parametrize("case", list(SGD_CASES))
def test_sgd_values(submission, case):
    values, grads, lr = _sgd_case(case)
    _expect_updated(_sgd(submission, values, grads, lr), values, grads, lr)


@pytest.mark.points(2, after="sgd_values")
def test_sgd_keeps_leaves(submission):
    values, grads, lr = _sgd_case("weight-3x2-bias-2-lr0.05")
    got = _sgd(submission, values, grads, lr)
    for index, state in enumerate(got["params"]):
        param, what = state["param"], f"parameter {index}"
        if state["id_after"] != state["id_before"]:
            fail(f"{what} to be the same tensor object after the update", show(param),
                 "params[i] = params[i] - lr * grad puts a new tensor, with a history and "
                 "not a leaf, in place of the parameter (seed 004's first attempt): update the "
                 "parameter itself in place, p -= lr * p.grad, inside torch.no_grad().")
        if not param.requires_grad:
            fail(f"{what} to still require grad", "requires_grad=False",
                 "The update left requires_grad switched off and never back on: don't switch "
                 "it off, torch.no_grad() is all the update needs.")
        if not param.is_leaf or param.grad_fn:
            fail(f"{what} to stay a leaf with no grad_fn", f"grad_fn {param.grad_fn}",
                 f"The update was recorded in the graph. {FIRST_ATTEMPT}")
        if state["storage_after"] != state["storage_before"]:
            fail(f"{what} updated in place (the same storage)", "new storage",
                 "p.data = ... swaps in new memory, which an optimizer or a view holding the "
                 "old one never sees: update in place, p -= lr * p.grad under torch.no_grad().")


@pytest.mark.points(1, after="sgd_values")
def test_sgd_clears_gradients(submission):
    values, grads, lr = _sgd_case("seed004-a-b-lr0.1")
    _expect_cleared(_sgd(submission, values, grads, lr), grads)


GENERATOR = ("params may be a generator, like model.parameters(), which is used up after one "
             "loop: update and clear each parameter in the same loop (or make a list first).")


@pytest.mark.points(1, after=SGD_CORE)
def test_sgd_parameters_generator(submission):
    values, grads, lr = _sgd_case("weight-3x2-bias-2-lr0.05")
    got = _sgd(submission, values, grads, lr, generator=True)
    what = " (params given as a generator)"
    for state in got["params"]:
        if state["id_after"] != state["id_before"]:
            fail("the parameters of the generator updated in place", show(state["param"]),
                 GENERATOR)
    _expect_updated(got, values, grads, lr, what)
    _expect_cleared(got, grads, what, GENERATOR)


@pytest.mark.points(1, after=SGD_CORE)
def test_sgd_skips_missing_gradients(submission):
    values, grads, lr = _sgd_case("weight-3x2-bias-2-lr0.05")
    g = torch.Generator().manual_seed(2)
    values = [values[0], _randn(g, 4), values[1]]
    grads = [grads[0], None, grads[1]]
    _expect_updated(_sgd(submission, values, grads, lr), values, grads, lr)


@pytest.mark.hidden
@pytest.mark.points(1, after="sgd_values")
def test_variant_sgd(submission, variant):
    """sgd_update_'s values on the student's own variant: one to three parameters of drawn
    shapes (sizes 1-4) and a drawn learning rate (0.01-0.5)."""
    g = torch.Generator().manual_seed(variant)
    count = int(torch.randint(1, 4, (1,), generator=g))
    shapes = [tuple(int(size) for size in torch.randint(1, 5, (int(rank),), generator=g))
              for rank in torch.randint(1, 3, (count,), generator=g)]
    values = [_randn(g, *shape) for shape in shapes]
    grads = [_randn(g, *shape) for shape in shapes]
    lr = round(0.01 + 0.49 * float(torch.rand(1, generator=g)), 4)
    _expect_updated(_sgd(submission, values, grads, lr), values, grads, lr)


def _two_steps_reference(x, y, start, lr, steps=2):
    a, b = (float(v) for v in start)
    for _ in range(steps):
        error = a + b * x - y
        a, b = a - lr * float(2 * error.mean()), b - lr * float(2 * (error * x).mean())
    return a, b


@pytest.mark.points(2, after=("sgd_values", "sgd_keeps_leaves", "sgd_clears_gradients"))
def test_sgd_two_steps(submission):
    g = torch.Generator().manual_seed(3)
    x = torch.rand(10, generator=g, dtype=torch.float64)
    y = 1 + 2 * x + 0.1 * torch.randn(10, generator=g, dtype=torch.float64)
    start, lr = torch.randn(2, generator=g, dtype=torch.float64), 0.1
    got = submission.probe(probes.two_steps, x, y, start, lr, diagnose=_sgd_advice)
    if "error" in got:
        mistake = ("Autograd is still off after sgd_update_ (torch.set_grad_enabled(False) "
                   "never undone): use `with torch.no_grad():`, which switches it back on."
                   if not got["grad_enabled"] else "After the update a and b must still be "
                   "leaves that require grad, so that the next backward reaches them (was "
                   "requires_grad switched off and never back on?).")
        fail(f"step {got['step'] + 1} of seed 004's loop to run loss.backward()", got["error"],
             mistake)
    want = _two_steps_reference(x, y, start, lr)
    a, b = (float(got[k].data) if isinstance(got[k], TensorInfo) else float("nan")
            for k in ("a", "b"))
    if not (close(a, want[0], rtol=1e-9) and close(b, want[1], rtol=1e-9)):
        candidates = [(lambda: _two_steps_accumulated(x, y, start, lr), "The second step used "
                       "the first step's gradients too: clear p.grad after each update "
                       "(p.grad = None or p.grad.zero_()).")]
        found = first_match(candidates, (a, b), lambda u, v: close(u[0], v[0], rtol=1e-9)
                            and close(u[1], v[1], rtol=1e-9), correct=want)
        fail(f"(a, b) = {number(want, rtol=1e-9)} after two steps of seed 004's loop",
             number((a, b), digits=6), found.hint if found else
             "Each step is p -= lr * p.grad for a and b, then clear the gradients.")


def _two_steps_accumulated(x, y, start, lr):
    """Two steps whose gradients are never cleared: the second adds both."""
    a, b = (float(v) for v in start)
    total_a = total_b = 0.0
    for _ in range(2):
        error = a + b * x - y
        total_a += float(2 * error.mean())
        total_b += float(2 * (error * x).mean())
        a, b = a - lr * total_a, b - lr * total_b
    return a, b


def _expect_moved_on(got: dict, device: str) -> None:
    for index, state in enumerate(got["params"]):
        param, grad = state["param"], state["grad"]
        if not isinstance(param, TensorInfo) or param.device.split(":")[0] != device or (
                not param.is_leaf or not param.requires_grad):
            fail(f"parameter {index} to stay a leaf that requires grad on {device}", show(param),
                 "Update in place under torch.no_grad(), with torch operations only.")
        if isinstance(grad, TensorInfo) and grad.device.split(":")[0] != device:
            fail(f"parameter {index}'s .grad on {device}", show(grad),
                 "Clear with p.grad = None or p.grad.zero_(): torch.zeros(p.shape) is on the CPU.")


@pytest.mark.points(1, after=SGD_CORE)
def test_sgd_meta(submission):
    values, grads, lr = _sgd_case("weight-3x2-bias-2-lr0.05")
    _expect_moved_on(_sgd(submission, values, grads, lr, device=META), META)


@pytest.mark.points(0, after=SGD_CORE)
def test_cuda_sgd(submission, cuda):
    values, grads, lr = _sgd_case("weight-3x2-bias-2-lr0.05")
    got = _sgd(submission, values, grads, lr, device=cuda)
    _expect_moved_on(got, cuda)
    _expect_updated(got, values, grads, lr, f" on {cuda}")
