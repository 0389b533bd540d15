"""Grader for exercise classification: softmax, cross_entropy and accuracy from scratch.

Values are compared with PyTorch's own ``F.softmax`` and ``F.cross_entropy``
(in the parent, which is trusted), gradients with ``(softmax - one_hot) / N``.

The core is what the three functions compute: softmax's values (then along other dims, on
large logits, and its gradient), cross_entropy's values (then on large logits, and its
gradient) and accuracy's values. The properties (the meta device, written from scratch, a
Python float) wait for the values they describe: a function that computes nothing earns
nothing.
"""

import math

import pytest
import torch
import torch.nn.functional as F

from graders import (
    Raised,
    Softmax,
    TensorInfo,
    close,
    expect_tensor,
    fail,
    first_match,
    number,
    show,
    tensors_close,
)
from graders.probes import classification as probes

META = "meta"
# The checks' tolerances, also passed to number() so that a hint's expected value is too
# coarse to pass the check it comes from.
PROBS_TOLERANCE = {"rtol": 1e-4, "atol": 1e-6}
LOSS_TOLERANCE = {"rtol": 1e-4, "atol": 1e-6}
GRADIENT_TOLERANCE = {"rtol": 1e-6, "atol": 1e-9}
ACCURACY_TOLERANCE = {"rtol": 1e-6, "atol": 1e-9}
# The core: the values each function computes. Softmax's other dims, stability and gradient
# wait for its plain values, and likewise cross_entropy's: one slip in the formula costs once.
CORE = ("softmax_values", "softmax_other_dims", "softmax_stable", "softmax_gradient",
        "cross_entropy_values", "cross_entropy_stable", "cross_entropy_gradient",
        "accuracy_values")
SOFTMAX_CORE = ("softmax_values", "softmax_gradient")
LOSS_CORE = ("cross_entropy_values", "cross_entropy_gradient")


def _logits(seed: int, shape: tuple, dtype=torch.float32, scale: float = 2.0):
    return torch.randn(shape, generator=torch.Generator().manual_seed(seed), dtype=dtype) * scale


def _labels(seed: int, n: int, classes: int) -> torch.Tensor:
    """Labels in a random order, every class 0 .. classes-1 present (when n >= classes)."""
    order = torch.randperm(n, generator=torch.Generator().manual_seed(seed + 100))
    return order % classes


def _shape(shape) -> str:
    return str(tuple(shape))


MISMATCH = {
    "softmax": "sum(dim=dim) drops the axis: keepdim=True keeps it, so that the division "
               "broadcasts along the right axis.",
    "loss": "F.one_hot(labels) guesses the number of classes from the largest label, and a "
            "class may be absent: pass num_classes=logits.shape[1] (and keepdim=True in sums).",
    "accuracy": "The predictions must be one per row: argmax(dim=1), not dim=0 (which gives "
                "one per class).",
}


def _advice(topic: str):
    """A diagnose function for errors raised by softmax, cross_entropy or accuracy."""

    def advice(outcome: Raised) -> str:
        message = outcome.message
        if "return_types.max" in message or "return_types.min" in message:
            return ("max(dim=...) returns a (values, indices) pair: use .values, or "
                    "amax(dim=..., keepdim=True).")
        if "must have the same number of dimensions" in message:
            return ("gather needs an index with the logits' number of dimensions: "
                    "labels.unsqueeze(1), then .squeeze(1).")
        if "must match the size" in message:
            return MISMATCH[topic]
        if "expected device" in message or "same device" in message or (
                "Cannot copy out of meta" in message):
            return ("A tensor built without device= lives on the CPU (torch.zeros, torch.eye, "
                    "torch.arange, torch.tensor): build it on the logits' device, "
                    "device=logits.device, or use zeros_like, ones_like, F.one_hot.")
        if topic == "accuracy" and "requires grad" in message:
            return ("A model's logits require grad: detach them before .numpy() "
                    "(logits.detach().cpu().numpy()), or stay in torch.")
        if "view size is not compatible" in message:
            return (".view() needs a contiguous tensor, and a transposed one is not: use "
                    ".reshape(), or index and reduce without reshaping.")
        if "numpy" in message.lower() or "meta" in message:
            return ("Keep the computation in torch: NumPy, .item() and float() need values on "
                    "the CPU and cut autograd's graph.")
        return ""

    return advice


SOFTMAX_ADVICE, LOSS_ADVICE, ACCURACY_ADVICE = (_advice(topic) for topic in MISMATCH)


# --- softmax --------------------------------------------------------------------------------


def _softmax_mistake(got: torch.Tensor, logits: torch.Tensor, dim: int) -> str:
    """The likely mistake behind wrong probabilities."""
    if not torch.isfinite(got).all():
        return ("Some probabilities are nan or inf: exp of large logits overflows. Subtract "
                "the max along dim first (it does not change the softmax).")
    others = [(lambda other=other: F.softmax(logits.double(), dim=other),
               f"You normalised along dim {other}, not dim {dim}: take the max and the sum "
               "along the dim argument (seed 002 uses dim=1, one row per sample).")
              for other in range(logits.dim())]
    found = first_match(others, got, lambda a, b: tensors_close(a, b, rtol=1e-4, atol=1e-6),
                        correct=F.softmax(logits.double(), dim=dim))
    if found:
        return found.hint
    sums = got.double().sum(dim=dim)
    if close(float(sums.sum()), 1.0, rtol=1e-4) and not tensors_close(
            sums, torch.ones_like(sums), rtol=1e-4, atol=1e-6):
        return ("You divided by the sum of the whole tensor: sum along dim only, with "
                "keepdim=True.")
    if (got > 1 + 1e-6).any():
        return "You forgot to divide by the sum of the exponentials."
    return "softmax(x) = exp(x - max) / sum(exp(x - max)), along dim."


def _expect_probs(got, logits: torch.Tensor, dim: int, what: str) -> None:
    got = expect_tensor(got, what=what, mistake="Return a tensor of the logits' shape.")
    if got.shape != tuple(logits.shape):
        fail(f"{what} of shape {_shape(logits.shape)}", f"shape {_shape(got.shape)}",
             "softmax keeps the shape: keepdim=True in the max and the sum, so that they "
             "broadcast back.")
    if got.dtype != str(logits.dtype):
        fail(f"{what} of dtype {logits.dtype}", got.dtype,
             "Keep the logits' dtype: compute with torch on the logits themselves.")
    want = F.softmax(logits.double(), dim=dim)
    if not tensors_close(got.data, want, **PROBS_TOLERANCE):
        fail(f"{what} = {number(want, **PROBS_TOLERANCE)}", number(got.data, digits=6),
             _softmax_mistake(got.data, logits, dim))


SOFTMAX_CASES = {"4x10": (0, (4, 10), torch.float32), "3x5-float64": (1, (3, 5), torch.float64),
                 "1x7": (2, (1, 7), torch.float32)}


@pytest.mark.points(1)
@pytest.mark.parametrize("case", list(SOFTMAX_CASES))
def test_softmax_values(submission, case):
    seed, shape, dtype = SOFTMAX_CASES[case]
    logits = _logits(seed, shape, dtype)
    got = submission.probe(probes.softmax_of, logits, diagnose=SOFTMAX_ADVICE)
    _expect_probs(got, logits, 1, f"softmax(logits) for logits of shape {shape}")


NEGATIVE_DIM = ("dim may be negative, as everywhere in torch (dim=-2 is the second axis from "
                "the end): pass it to amax and sum as it is, or take dim % logits.dim().")
DIM_CASES = {"5x4-dim0": (3, (5, 4), 0), "2x3x4-dim2": (4, (2, 3, 4), 2),
             "2x3x4-dim-2": (5, (2, 3, 4), -2)}


@pytest.mark.points(1, after="softmax_values")
@pytest.mark.parametrize("case", list(DIM_CASES))
def test_softmax_other_dims(submission, case):
    seed, shape, dim = DIM_CASES[case]
    logits = _logits(seed, shape)
    got = submission.probe(probes.softmax_of, logits, dim, diagnose=lambda raised: (
        SOFTMAX_ADVICE(raised) or (NEGATIVE_DIM if dim < 0 else "")))
    _expect_probs(got, logits, dim, f"softmax(logits, dim={dim}) for shape {shape}")


# Rows at very different scales: a per-row max keeps every row finite, a global one does not.
LARGE = torch.tensor([[1000.0, 1001.0, 1002.0], [-1000.0, -1001.0, -1003.0],
                      [0.0, 0.0, 0.0], [50.0, 0.0, -50.0]])


def _stability_mistake(got: torch.Tensor) -> str:
    finite = torch.isfinite(got).all(dim=1)
    if not finite[0]:
        return ("exp(1000) overflows to inf and inf / inf is nan: subtract each row's max "
                "before exp (softmax is unchanged by a shift).")
    if not finite[1]:
        return ("You subtracted the max of the whole tensor: a row far below it underflows to "
                "0 / 0 = nan. Subtract each row's own max, amax(dim=dim, keepdim=True).")
    return "Subtract each row's max along dim before exp."


@pytest.mark.points(2, after="softmax_values")
def test_softmax_stable(submission, figure):
    got = submission.probe(probes.softmax_of, LARGE, diagnose=SOFTMAX_ADVICE)
    got = expect_tensor(got, shape=tuple(LARGE.shape), what="softmax of large logits")
    if got.data is not None:  # the picture: row by row, nan and inf drawn as gaps
        figure(Softmax.of("softmax of logits around +-1000, row by row", LARGE.flatten().tolist(),
                          got.data.double().flatten().tolist(),
                          F.softmax(LARGE.double(), dim=1).flatten().tolist()))
    if not torch.isfinite(got.data).all():
        fail(f"finite probabilities for logits {LARGE.tolist()}", number(got.data, digits=6),
             _stability_mistake(got.data))
    _expect_probs(got, LARGE, 1, "softmax of logits around +-1000")


@pytest.mark.points(1, after="softmax_values")
def test_softmax_gradient(submission):
    logits, dim = _logits(6, (3, 4), torch.float64), 1
    weights = _logits(7, (3, 4), torch.float64)
    got = submission.probe(probes.softmax_gradient, logits, dim, weights,
                           diagnose=SOFTMAX_ADVICE)
    _expect_probs(got["probs"], logits, dim, "softmax(logits)")
    leaf = logits.clone().requires_grad_(True)
    (F.softmax(leaf, dim=dim) * weights).sum().backward()
    grad = got["grad"]
    if grad is None:
        fail("softmax's result attached to the autograd graph", "no grad_fn",
             "The probabilities were cut from the graph: .detach(), .data, .numpy(), .item() "
             "or torch.tensor(...) drop the history.")
    if not tensors_close(grad.data, leaf.grad, **GRADIENT_TOLERANCE):
        fail(f"d sum(softmax * w) / d logits = {number(leaf.grad, **GRADIENT_TOLERANCE)}",
             number(grad.data, digits=6),
             "The values are right but the gradient is not: a part of the formula was "
             "detached (only the max may be, as it cancels out).")


def _expect_on(got, device: str, shape: tuple, what: str) -> None:
    if not isinstance(got, TensorInfo) or got.device.split(":")[0] != device:
        fail(f"{what} on {device}", show(got),
             "Keep the computation in torch on the logits' device: no NumPy, .item() or "
             "tensors built with torch.tensor(...) / torch.arange(...) without device=.")
    if got.shape != shape:
        fail(f"{what} of shape {shape}", f"shape {_shape(got.shape)}", "")


@pytest.mark.points(1, after=SOFTMAX_CORE)
def test_softmax_meta(submission):
    got = submission.probe(probes.on_device, "softmax", META, diagnose=SOFTMAX_ADVICE)
    _expect_on(got, META, (4, 3), "softmax of meta logits")


# --- cross_entropy --------------------------------------------------------------------------


def _log_probs(logits: torch.Tensor) -> torch.Tensor:
    return F.log_softmax(logits.double(), dim=1)


def _wrong_losses(logits: torch.Tensor, labels: torch.Tensor) -> list:
    """(value, mistake) for the cross-entropies students write instead: first_match's
    candidates."""
    n, classes = logits.shape
    log_probs = _log_probs(logits)
    picked = log_probs[torch.arange(n), labels]
    probs = log_probs.exp()
    return [
        (-picked.sum(), "The loss is N times too large: you summed over the batch instead of "
         "averaging (F.cross_entropy takes the mean)."),
        (picked.mean(), "The sign is flipped: cross-entropy is minus the log-probability."),
        (-log_probs[:, labels].mean(), "log_probs[:, labels] picks an N x N block (every row "
         "at every label): pick one entry per row, log_probs[torch.arange(N), labels]."),
        (-log_probs[labels].mean(), "log_probs[labels] picks whole rows by label: pick one "
         "entry per row, log_probs[torch.arange(N), labels]."),
        (-picked.mean() / classes, "The loss is C times too small: you averaged over the "
         "classes too; sum the one-hot products over classes, then average over samples."),
        (F.cross_entropy(probs, labels), "You applied softmax twice: cross_entropy takes the "
         "raw logits (seed 002: F.cross_entropy applies softmax itself)."),
        (-F.log_softmax(logits.double(), dim=0)[torch.arange(n), labels].mean(),
         "The softmax was taken along dim 0 (over the batch): classes are along dim 1."),
        (-probs[torch.arange(n), labels].log10().mean(), "Use the natural log, torch.log, "
         "not log10 or log2."),
    ]


def _loss_mistake(got: float, logits, labels) -> str:
    want = F.cross_entropy(logits.double(), labels)
    found = first_match(_wrong_losses(logits, labels), torch.tensor(got, dtype=torch.float64),
                        lambda a, b: close(float(a), float(b), rtol=1e-4, atol=1e-6),
                        correct=want)
    if found:
        return found.hint
    return "cross_entropy = mean over samples of -log softmax(logits)[i, labels[i]]."


def _expect_loss(got, logits, labels, what: str) -> None:
    if isinstance(got, (int, float)):
        fail(f"{what} to be a 0-dimensional tensor", f"a plain number, {show(got)}",
             ".item() and float() cut the loss from autograd's graph: return the tensor.")
    got = expect_tensor(got, what=what)
    if got.shape != ():
        n = len(labels)
        mistake = (f"That is one loss per sample: take their mean over the {n} samples."
                   if got.shape == (n,) else "Reduce to one number: the mean over samples.")
        fail(f"{what} to be a 0-dimensional tensor", f"shape {_shape(got.shape)}", mistake)
    want = float(F.cross_entropy(logits.double(), labels))
    value = float(got.data)
    shown = number(want, **LOSS_TOLERANCE)
    if not math.isfinite(value):
        fail(f"{what} = {shown}", repr(value), _unstable_mistake(logits))
    if not close(value, want, **LOSS_TOLERANCE):
        fail(f"{what} = {shown} (as F.cross_entropy)", number(value, digits=6),
             _loss_mistake(value, logits, labels))


def _unstable_mistake(logits) -> str:
    if logits.abs().max() > 80:
        return ("A probability underflowed to 0 (log gives -inf) or exp overflowed (nan): "
                "compute log-probabilities with the log-sum-exp trick, z - max - "
                "log(sum(exp(z - max))), not log(softmax(z)).")
    return "Some step produced nan or inf: check for log(0) and divisions by zero."


LOSS_CASES = {"8x5": (8, 8, 5, 5, torch.float32), "5x3-float64": (9, 5, 3, 3, torch.float64),
              "last-class-absent": (10, 6, 4, 3, torch.float32)}


def _loss_case(case: str):
    seed, n, classes, label_classes, dtype = LOSS_CASES[case]
    return _logits(seed, (n, classes), dtype), _labels(seed, n, label_classes)


@pytest.mark.points(1)
@pytest.mark.parametrize("case", list(LOSS_CASES))
def test_cross_entropy_values(submission, case):
    logits, labels = _loss_case(case)
    got = submission.probe(probes.loss_gradient, logits, labels, diagnose=LOSS_ADVICE)
    _expect_loss(got["loss"], logits, labels, f"cross_entropy for {case} logits")


# The true class is far below the others in two rows: its probability underflows in float32.
STABLE_LOGITS = torch.tensor([[1000.0, 0.0, -1000.0], [0.0, 1000.0, 0.0], [-5.0, 2.0, 3.0],
                              [200.0, -200.0, 0.0]])
STABLE_LABELS = torch.tensor([2, 1, 0, 1])


@pytest.mark.points(2, after="cross_entropy_values")
def test_cross_entropy_stable(submission):
    got = submission.probe(probes.loss_gradient, STABLE_LOGITS, STABLE_LABELS,
                           diagnose=LOSS_ADVICE)
    _expect_loss(got["loss"], STABLE_LOGITS, STABLE_LABELS, "cross_entropy of logits up to 1000")


def _gradient_mistake(got: torch.Tensor, want: torch.Tensor, n: int) -> str:
    candidates = [
        (want * n, f"The gradient is N = {n} times too large: you summed instead of averaging."),
        (-want, "The gradient has the wrong sign: cross-entropy is minus the log-probability."),
    ]
    found = first_match(candidates, got, lambda a, b: tensors_close(a, b, rtol=1e-5, atol=1e-8),
                        correct=want)
    if found:
        return found.hint
    return ("d loss / d logits is (softmax(logits) - one_hot(labels)) / N: part of your formula "
            "is detached or not the cross-entropy.")


@pytest.mark.points(2, after="cross_entropy_values")
def test_cross_entropy_gradient(submission):
    logits, labels = _logits(11, (6, 4), torch.float64), _labels(11, 6, 4)
    _expect_loss_gradient(submission, logits, labels)


def _expect_loss_gradient(submission, logits: torch.Tensor, labels: torch.Tensor) -> None:
    """cross_entropy's value, and d loss / d logits = (softmax - one_hot) / N."""
    got = submission.probe(probes.loss_gradient, logits, labels, diagnose=LOSS_ADVICE)
    _expect_loss(got["loss"], logits, labels, "cross_entropy")
    if got["grad"] is None:
        fail("the loss attached to the autograd graph", "no grad_fn",
             ".item(), float(), .detach(), .numpy() and torch.tensor(...) drop the history.")
    one_hot = F.one_hot(labels, logits.shape[1]).to(logits.dtype)
    want = (F.softmax(logits, dim=1) - one_hot) / len(labels)
    if not tensors_close(got["grad"].data, want, **GRADIENT_TOLERANCE):
        fail(f"d loss / d logits = {number(want, **GRADIENT_TOLERANCE)}",
             number(got["grad"].data, digits=6),
             _gradient_mistake(got["grad"].data, want, len(labels)))


@pytest.mark.points(1, after=LOSS_CORE)
def test_cross_entropy_meta(submission):
    got = submission.probe(probes.on_device, "cross_entropy", META, diagnose=LOSS_ADVICE)
    _expect_on(got, META, (), "cross_entropy of meta logits")


# PyTorch's own softmax, log-softmax, NLL loss and cross-entropy, as the aten kernels (and
# autograd nodes) that every spelling of them ends in: torch.softmax, Tensor.softmax,
# F.softmax, F.softmin, torch.special.softmax and torch.ops.aten._softmax all run
# aten::_softmax; F.cross_entropy, nn.CrossEntropyLoss and torch._C._nn.cross_entropy_loss
# run aten::_log_softmax and aten::nll_loss_forward. logsumexp is allowed (the docstring
# lists it).
BANNED_OPS = ("softmax", "nll_loss", "cross_entropy")
BANNED_NODES = ("Softmax", "NllLoss", "CrossEntropy")
BUILTINS = [  # (words in the banned ops, what the student most likely called)
    (("log_softmax", "nll_loss"), "torch.nn.functional.cross_entropy"),
    (("nll_loss",), "torch.nn.functional.nll_loss"),
    (("log_softmax",), "torch.nn.functional.log_softmax"),
    (("softmax",), "torch.softmax"),
]


def _recorded(report, name: str) -> tuple[list, list]:
    """The ops and graph nodes the probe recorded for ``name``; a malformed report fails."""
    entry = report.get(name) if isinstance(report, dict) else None
    parts = [entry.get(key) if isinstance(entry, dict) else None for key in ("ops", "graph")]
    if not all(isinstance(p, list) and all(isinstance(x, str) for x in p) for p in parts):
        fail(f"the operations {name} ran, as recorded by the grader", show(entry),
             "The grader's probe runs in the same process as your code and came back "
             "changed: leave the grader's code alone.")
    return parts[0], parts[1]


def _builtin(ops: list, nodes: list) -> str:
    """Which built-in a function ran, in the words a student wrote it with ('' if none)."""
    banned = [op for op in ops if any(word in op for word in BANNED_OPS)]
    for words, builtin in BUILTINS:
        if all(any(word in op for op in banned) for word in words):
            return f"{builtin} or another name for it ({', '.join(banned)})"
    if banned:
        return f"PyTorch's own {', '.join(banned)}"
    hidden = [node for node in nodes if any(word in node for word in BANNED_NODES)]
    return f"PyTorch's own {', '.join(hidden)} in the result's autograd graph" if hidden else ""


@pytest.mark.points(1, after=SOFTMAX_CORE + LOSS_CORE)  # it runs forward and backward
def test_from_scratch(submission):
    logits, labels = _loss_case("8x5")
    report = submission.probe(probes.operations, logits, labels, diagnose=LOSS_ADVICE)
    for name in ("softmax", "cross_entropy"):
        called = _builtin(*_recorded(report, name))
        if called:
            fail("softmax and cross_entropy written with basic torch operations",
                 f"a call to {called} in {name}", "This exercise is about writing them "
                 "yourself: use exp, log, sum, amax (or logsumexp) and indexing, not "
                 "PyTorch's softmax, log_softmax, cross_entropy or nll_loss, under any name "
                 "(torch.ops.aten and torch._C._nn included).")


# --- accuracy -------------------------------------------------------------------------------


def _accuracy_case(seed: int, n: int, classes: int):
    """Logits whose argmax is the label for about half of the rows (no ties)."""
    logits, labels = _logits(seed, (n, classes)), _labels(seed, n, classes)
    right = torch.arange(n) % 2 == 0
    logits[right, labels[right]] = logits[right].max(dim=1).values + 1
    return logits, labels


def _accuracy_mistake(got: float, logits, labels, integral: bool) -> str:
    n = len(labels)
    correct = int((logits.argmax(dim=1) == labels).sum())
    candidates = [
        (100 * correct / n, "That is a percentage (seed 003 multiplies by 100): return a "
         "fraction in [0, 1]."),
        (float(correct), "That is the number of correct predictions: divide it by len(labels)."),
        *([(float(correct // n), "Integer division (//) rounds the fraction down to 0: divide "
            "with /.")] if integral else []),
        (float((logits.max(dim=1).values == labels).float().mean()), "You compared the largest "
         "logits themselves with the labels: torch.max(logits, dim=1) returns (values, "
         "indices), and the predictions are the indices."),
    ]
    found = first_match(candidates, got, lambda a, b: close(a, b, rtol=1e-6, atol=1e-9),
                        correct=correct / n)
    if found:
        return found.hint
    if got > 0 and close(correct / got, round(correct / got), rtol=1e-9):
        return (f"You divided by {round(correct / got)}, not by the number of samples "
                f"{n} (seed 003 divides by a fixed batch_size): use len(labels).")
    return "accuracy = (logits.argmax(dim=1) == labels) as a fraction of len(labels)."


FLOAT = ("Return a Python float: wrap the result in float(...) or call .item() (seed 002's "
         "accuracy returns torch.tensor(...)).")


def _expect_accuracy_float(got, what: str) -> float:
    if isinstance(got, TensorInfo):
        fail(f"{what} to be a Python float", str(got), FLOAT)
    if isinstance(got, int) and not isinstance(got, bool):
        fail(f"{what} to be a Python float", f"the int {got}",
             "Integer division (//) gives an int, rounded down: divide with /." if got == 0
             else FLOAT)
    if not isinstance(got, float):
        fail(f"{what} to be a Python float", show(got), FLOAT)
    return got


@pytest.mark.points(1, after="accuracy_values")
def test_accuracy_is_float(submission):
    logits, labels = _accuracy_case(12, 10, 4)
    got = submission.probe(probes.accuracy_of, logits, labels, diagnose=ACCURACY_ADVICE)
    _expect_accuracy_float(got, "accuracy(logits, labels)")


ACCURACY_CASES = {"10x4": (13, 10, 4, False), "7x3-requires-grad": (14, 7, 3, True),
                  "8x10": (15, 8, 10, False)}


@pytest.mark.points(1)
@pytest.mark.parametrize("case", list(ACCURACY_CASES))
def test_accuracy_values(submission, case):
    seed, n, classes, requires_grad = ACCURACY_CASES[case]
    _expect_accuracy(submission, *_accuracy_case(seed, n, classes), requires_grad, case)


def _expect_accuracy(submission, logits, labels, requires_grad: bool, case: str) -> None:
    got = submission.probe(probes.accuracy_of, logits, labels, requires_grad,
                           diagnose=ACCURACY_ADVICE)
    value = float(got.data) if isinstance(got, TensorInfo) and got.data is not None and (
        got.data.numel() == 1) else got
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        fail(f"accuracy for {case} logits to be a number", show(got), FLOAT)
    want = float((logits.argmax(dim=1) == labels).double().mean())
    if not close(float(value), want, **ACCURACY_TOLERANCE):  # float32 means are fine
        fail(f"accuracy = {number(want, **ACCURACY_TOLERANCE)} for {case} logits",
             number(float(value), digits=6),
             _accuracy_mistake(float(value), logits, labels, _integral(got)))


@pytest.mark.points(1, after=("softmax_values", "cross_entropy_values"))
def test_non_contiguous_logits(submission):
    """softmax and cross_entropy of a transposed (non-contiguous) view: logits come in any
    layout (a slice, a transpose, a model's output)."""
    logits_t, labels = _logits(11, (5, 6)), _labels(11, 6, 5)
    got = submission.probe(probes.transposed, logits_t, labels, diagnose=LOSS_ADVICE)
    logits = logits_t.t()
    _expect_probs(got["softmax"], logits, 1, "softmax of transposed (non-contiguous) logits")
    _expect_loss(got["loss"], logits, labels, "cross_entropy of transposed (non-contiguous) "
                 "logits")


@pytest.mark.hidden
@pytest.mark.points(2, after=("softmax_values", "cross_entropy_values", "cross_entropy_gradient",
                              "accuracy_values"))
def test_variant_values(submission, variant):
    """softmax, cross_entropy (value and gradient) and accuracy on logits of the student's
    own variant: a drawn batch (2-9) and number of classes (2-7), float64, labels drawn
    uniformly (a class may be absent, as in the public last-class-absent case), accuracy on
    those logits with about half of the rows made right."""
    g = torch.Generator().manual_seed(variant)
    n, classes = int(torch.randint(2, 10, (1,), generator=g)), int(
        torch.randint(2, 8, (1,), generator=g))
    logits = 2 * torch.randn(n, classes, generator=g, dtype=torch.float64)
    labels = torch.randint(0, classes, (n,), generator=g)
    got = submission.probe(probes.softmax_of, logits, diagnose=SOFTMAX_ADVICE)
    _expect_probs(got, logits, 1, f"softmax(logits) for logits of shape {(n, classes)}")
    _expect_loss_gradient(submission, logits, labels)
    # About half of the rows predicted right, as in _accuracy_case: not 0, nor 1.
    scored, right = logits.float(), torch.rand(n, generator=g) < 0.5
    scored[right, labels[right]] = scored[right].max(dim=1).values + 1
    _expect_accuracy(submission, scored, labels, False, f"{n}x{classes}")


def _integral(got) -> bool:
    """An int, or a tensor of integers: what // gives."""
    if isinstance(got, TensorInfo):
        return "int" in got.dtype
    return isinstance(got, int)


@pytest.mark.points(0, after=("softmax_values", "cross_entropy_values", "accuracy_values"))
def test_cuda_classification(submission, cuda):
    got = submission.probe(probes.on_device, "softmax", cuda, diagnose=SOFTMAX_ADVICE)
    _expect_on(got, cuda, (4, 3), "softmax of CUDA logits")
    got = submission.probe(probes.on_device, "cross_entropy", cuda, diagnose=LOSS_ADVICE)
    _expect_on(got, cuda, (), "cross_entropy of CUDA logits")
    logits, labels = _accuracy_case(16, 10, 4)
    got = submission.probe(probes.accuracy_on, logits, labels, cuda, diagnose=ACCURACY_ADVICE)
    _expect_accuracy_float(got, "accuracy of CUDA tensors")
