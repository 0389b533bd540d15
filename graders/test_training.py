"""Grader for exercise training: make_train_step, evaluate and fit (seeds 004 and 002).

Every probe builds a small seeded float64 setup (graders/probes/training.py) in
the child; the grader builds the same setup here and runs the contract on it, as
written by the grader (``CONTRACT``: its known mistakes' makers without a mistake), so
the public checks need no reference and the student kit grades them alike; the hidden
variant checks run the reference itself on setups of each student's own. When an answer
is wrong, the grader also runs known mistakes (``_step_maker``,
``_evaluator``, ``_fitter``, all trusted code) on that setup: a match names the
mistake in the hint. The fit checks run the student's fit with the correct
make_train_step and evaluate swapped in (``probes.fitting(exact=True)``), so a slip
in those is charged to their own checks only.
"""

from __future__ import annotations

import math
import types

import pytest
import torch

from graders import (
    LossCurves,
    Raised,
    TensorInfo,
    answer_key,
    case_ids,
    close,
    expect_float,
    fail,
    first_match,
    number,
    show,
)
from graders.probes import training as probes
from graders.probes.training import Case

reference = answer_key("training")

# The core: what one step does to the parameters and the loss it reports, evaluate's value,
# and fit's parameters, histories and convergence. The fit checks run the student's fit
# with the correct make_train_step and evaluate swapped in, so a slip in those costs their
# own checks alone; a step's loss and fit's histories wait for the parameters they come
# from. The properties (floats, modes, no graph, the model left alone, the history's form,
# no val_loader) wait for the values they describe.
CORE = ("train_step_loss", "train_step_parameters", "evaluate_value", "fit_train_loss",
        "fit_val_loss", "fit_parameters", "fit_converges")
STEP_CORE = ("train_step_loss", "train_step_parameters")

RTOL, ATOL = 1e-6, 1e-9  # float64 throughout: only summation order differs
TOLERANCE = {"rtol": RTOL, "atol": ATOL}  # also how coarsely hints show expected values
STEPS, EPOCHS = 4, 3
STEP_CASES = [Case(0, n_train=12, batch_size=5), Case(1, n_train=10, batch_size=4, n_in=2)]
# Every validation set ends with a smaller batch, so an unweighted mean is wrong.
EVAL_CASES = [Case(2, n_val=10, batch_size=4), Case(3, n_val=7, batch_size=3, n_in=2),
              Case(4, n_val=11, batch_size=6, n_in=1)]
FIT_CASES = [Case(5, n_train=11, n_val=7, batch_size=4), Case(6, n_train=9, n_val=10,
                                                              batch_size=4, n_in=2)]
LINE_CASE, LINE_EPOCHS, LINE_TOLERANCE = Case(7, 64, 16, 16, n_in=2, lr=0.1), 20, 0.02


def _ids(cases: list[Case]) -> list[str]:
    return case_ids([case.seed for case in cases], "seed")


# --- hints for known mistakes ------------------------------------------------

ACCUMULATED = ("The parameters drift away from the reference after the first step: the "
               "gradients accumulated across steps. Clear them every step with "
               "optimizer.zero_grad().")
NEVER_MOVED = ("The parameters never moved: optimizer.step() saw no gradients, because they "
               "were cleared, or not computed yet, when it ran. Call loss.backward(), then "
               "optimizer.step(), then optimizer.zero_grad().")
LAGGING = ("Your updates lag one step behind: optimizer.step() ran before loss.backward(), so "
           "the first call did not move the parameters and every later step used the previous "
           "batch's gradients.")
SWAPPED = ("The values match loss_fn(target, prediction): call loss_fn(prediction, target). "
           "The loss here is not symmetric like MSE, so the order matters (seed 004 writes "
           "loss_fn(y, yhat)).")
POST_STEP = ("Those are the losses after each update: you recomputed the loss after "
             "optimizer.step(); return the loss of the forward pass the step was based on.")
UNWEIGHTED = ("You averaged the batch means without weighting them: the last batch is smaller, "
              "so multiply each batch's mean loss by its batch size and divide by the number of "
              "samples.")
SUMMED = "You summed the batch losses: divide by the number of samples, weighting each batch."
LAST_BATCH = ("That is the loss of the last batch only: combine the losses of every batch "
              "(add to the total instead of overwriting it).")
OFF_BY_ONE = "Loop with `for epoch in range(epochs)`: the number of epochs is off by one."


def _swapped(loss_fn):
    return lambda prediction, target: loss_fn(target, prediction)


def _step_maker(order: str = "backward step zero", swap: bool = False, post_step: bool = False):
    """A make_train_step with the steps in ``order`` (a known mistake unless the default)."""

    def make_train_step(model, loss_fn, optimizer):
        loss_fn = _swapped(loss_fn) if swap else loss_fn

        def train_step(x, y):
            model.train()
            prediction = model(x)
            loss = loss_fn(prediction, y)
            actions = {"backward": loss.backward, "step": optimizer.step,
                       "zero": optimizer.zero_grad}
            for action in order.split():
                actions[action]()
            if post_step:
                with torch.set_grad_enabled(False):
                    return loss_fn(model(x), y).item()
            return loss.item()

        return train_step

    return make_train_step


STEP_MISTAKES = [
    (_step_maker("backward step"), ACCUMULATED),
    (_step_maker("backward zero step"), NEVER_MOVED),
    (_step_maker("step backward zero"), NEVER_MOVED),
    (_step_maker("step zero backward"), LAGGING),
    (_step_maker("step backward"), LAGGING),
    (_step_maker(swap=True), SWAPPED),
    (_step_maker(post_step=True), POST_STEP),
]


def _average(losses: list[tuple[float, int]], how: str) -> float:
    """Combine (batch mean loss, batch size) pairs the right way or a known wrong way."""
    samples = sum(size for _, size in losses)
    return {
        "weighted": sum(loss * size for loss, size in losses) / samples,
        "unweighted": sum(loss for loss, _ in losses) / len(losses),
        "last": losses[-1][0],
        "sum": sum(loss for loss, _ in losses),
        "total": sum(loss * size for loss, size in losses),
    }[how]


def _evaluator(how: str = "weighted", swap: bool = False, backward: bool = False):
    """An evaluate that averages ``how``, maybe swaps loss_fn's arguments or calls backward."""

    def evaluate(model, loss_fn, loader):
        loss_fn = _swapped(loss_fn) if swap else loss_fn
        model.eval()
        losses = []
        with torch.set_grad_enabled(backward):
            for x, y in loader:
                prediction = model(x)
                loss = loss_fn(prediction, y)
                if backward:
                    loss.backward()
                losses.append((loss.item(), len(x)))
        return _average(losses, how)

    return evaluate


EVALUATE_MISTAKES = [
    (_evaluator("unweighted"), UNWEIGHTED),
    (_evaluator("last"), LAST_BATCH),
    (_evaluator("sum"), SUMMED),
    (_evaluator("total"), "You returned the total loss over all samples: divide by the number "
     "of samples."),
    (_evaluator(swap=True), SWAPPED),
]


def _fitter(step=None, train: str = "weighted", val: str = "after",
            extra_epochs: int = 0, swap: bool = False, batches: str = "all"):
    """A fit with one known mistake: its step, how its losses are made, or its epoch count."""

    def fit(model, loss_fn, optimizer, train_loader, epochs, val_loader=None):
        loss_fn = _swapped(loss_fn) if swap else loss_fn
        train_step = (step or _step_maker())(model, loss_fn, optimizer)
        history: dict = {"train_loss": [], "val_loss": []}
        for _ in range(epochs + extra_epochs):
            if val == "before" and val_loader is not None:
                history["val_loss"].append(_evaluator()(model, loss_fn, val_loader))
            losses = [(train_step(x, y), len(x), x, y) for x, y in
                      (list(train_loader)[-1:] if batches == "last" else train_loader)]
            if train == "evaluated":
                history["train_loss"].append(_evaluator()(model, loss_fn, train_loader))
            else:
                history["train_loss"].append(_average([t[:2] for t in losses], train))
            if val_loader is None or val == "before":
                continue
            loader = {"train": train_loader, "stale": [losses[-1][2:]]}.get(val, val_loader)
            how = "unweighted" if val == "unweighted" else "weighted"
            evaluate = _evaluator(how, backward=val == "backward")
            history["val_loss"].append(evaluate(model, loss_fn, loader))
        return history

    return fit


FIT_MISTAKES = [
    (_fitter(swap=True), SWAPPED),
    *((_fitter(step=make), hint) for make, hint in STEP_MISTAKES),
    (_fitter(train="last"), LAST_BATCH + " Seed 002's fit only ever prints that one."),
    (_fitter(train="unweighted"), UNWEIGHTED),
    (_fitter(train="sum"), SUMMED),
    (_fitter(train="evaluated"), "You evaluated the training set after the epoch: train_loss "
     "is the mean of the losses train_step returned during the epoch."),
    (_fitter(val="unweighted"), UNWEIGHTED),
    (_fitter(val="train"), "val_loss matches the loss on the training loader: evaluate on "
     "val_loader."),
    (_fitter(val="stale"), "val_loss is the loss of the last training batch: the validation "
     "loop used x_batch, y_batch left over from training instead of its own batch (x_val, "
     "y_val in seed 004's evaluation loop)."),
    (_fitter(val="before"), "val_loss is one epoch behind: you evaluated before the epoch's "
     "training instead of after it."),
    (_fitter(val="backward"), "Gradients from validation leaked into training: evaluate "
     "called loss.backward(), and the next training step added them to its own."),
    (_fitter(batches="last"), "Only the last batch of each epoch trained: call train_step "
     "inside the loop over the batches, once per batch."),
    (_fitter(extra_epochs=1), f"You trained one epoch too many. {OFF_BY_ONE}"),
    (_fitter(extra_epochs=-1), f"You trained one epoch too few. {OFF_BY_ONE}"),
]

# What the contract asks for, written by the grader: the mistakes' makers without a mistake.
# The public checks' expected values come from it (the student kit has no reference to run on
# a model); the hidden variant checks hold it to the reference on other setups.
CONTRACT = types.SimpleNamespace(make_train_step=_step_maker(), evaluate=_evaluator(),
                                 fit=_fitter())


# --- comparing and diagnosing -----------------------------------------------


def _same(got, expected, rtol: float = RTOL, atol: float = ATOL) -> bool:
    """Numbers, or (nested) lists of numbers, equal within the tolerances."""
    if isinstance(expected, list):
        return (isinstance(got, list) and len(got) == len(expected)
                and all(_same(g, e, rtol, atol) for g, e in zip(got, expected, strict=True)))
    is_number = isinstance(got, (int, float)) and not isinstance(got, bool)
    return is_number and close(float(got), expected, rtol=rtol, atol=atol)


def _diagnose(probe, args: tuple, pick, got, *, mistakes, name: str, fallback: str,
              expected=None) -> str:
    """The hint of the first known mistake whose ``pick``ed result matches ``got``.

    Each mistake runs, in the parent, on the same setup as the student's code did.
    """
    def simulate(function):
        return lambda: pick(probe(types.SimpleNamespace(**{name: function}), *args, mirror=True))

    candidates = [(simulate(function), hint) for function, hint in mistakes]
    found = first_match(candidates, got, _same,
                        **({} if expected is None else {"correct": expected}))
    return found.hint if found else fallback


def _numbers(values) -> str:
    """The student's numbers for a hint (expected ones go through number(), rounded)."""
    if not isinstance(values, list):
        return show(values)
    shown = ", ".join(f"{v:.5g}" if isinstance(v, float) else show(v) for v in values[:6])
    return f"[{shown}{', ...' if len(values) > 6 else ''}]"


def _training_forwards(events: list) -> dict[int, int]:
    """The forwards that fed an optimizer step (the last forward before each step).

    Maps each one's index in ``events`` to the number of validation passes seen before it.
    Without any step, every forward counts.
    """
    chosen, last, validations, phase = {}, None, 0, None
    for index, event in enumerate(events):
        if event[0] == "batch":
            validations += event[1] == "val" and phase != "val"
            phase = event[1]
        elif event[0] == "forward":
            last = (index, validations)
        elif last is not None:  # a step: the forward before it was the training forward
            chosen[last[0]] = last[1]
            last = None
    if not chosen:
        chosen = {i: 0 for i, event in enumerate(events) if event[0] == "forward"}
    return chosen


# --- train_step ----------------------------------------------------------------


@pytest.mark.points(1, after="train_step_loss")
def test_train_step_returns_float(submission):
    got = submission.probe(probes.train_steps, STEP_CASES[0], 1)["first"]
    if hasattr(got, "shape"):
        fail("train_step to return a Python float", show(got),
             "You returned the loss tensor itself, which also keeps its autograd graph alive; "
             "return loss.item().")
    expect_float(got, what="train_step's return value", mistake="Return loss.item().")


@pytest.mark.points(2, after="train_step_parameters")
@pytest.mark.parametrize("case", STEP_CASES, ids=_ids(STEP_CASES))
def test_train_step_loss(submission, case):
    got = submission.probe(probes.train_steps, case, STEPS)["losses"]
    expected = probes.train_steps(CONTRACT, case, STEPS, mirror=True)["losses"]
    if not _same(got, expected):
        hint = _diagnose(probes.train_steps, (case, STEPS), lambda r: r["losses"], got,
                         mistakes=STEP_MISTAKES, name="make_train_step", expected=expected,
                         fallback="Each call returns the loss of its own batch, computed "
                         "before the optimizer step, as loss.item().")
        fail(f"the losses of {STEPS} steps ({case}) to be {number(expected, **TOLERANCE)}",
             _numbers(got), hint)


@pytest.mark.points(3)
@pytest.mark.parametrize("case", STEP_CASES, ids=_ids(STEP_CASES))
def test_train_step_parameters(submission, case, figure):
    # The first case also drives the student's train_step alone over the line of
    # fit_converges, for the report's picture: that check waits for this one, so a slip in
    # the step would otherwise have no curve at all.
    curve = (LINE_CASE, LINE_EPOCHS) if case == STEP_CASES[0] else None
    run = submission.probe(probes.train_steps, case, STEPS, curve=curve)
    if curve is not None:
        figure(LossCurves.of(f"train_step alone: its loss per epoch ({LINE_CASE}, MSE, "
                             f"lr={LINE_CASE.lr:g})",
                             run.get("curve") if isinstance(run.get("curve"), list) else [],
                             probes.step_curve(CONTRACT, *curve, mirror=True,
                                               budget=math.inf)))
    got = run["parameters"]
    expected = probes.train_steps(CONTRACT, case, STEPS, mirror=True)["parameters"]
    if not _same(got, expected):
        hint = _diagnose(probes.train_steps, (case, STEPS), lambda r: r["parameters"], got,
                         mistakes=STEP_MISTAKES, name="make_train_step", expected=expected,
                         fallback="One step is: forward, loss_fn(prediction, target), backward, "
                         "optimizer.step(), gradients cleared.")
        final = got[-1] if isinstance(got, list) and got else got
        fail(f"parameters {number(expected[-1], **TOLERANCE)} after {STEPS} SGD steps",
             _numbers(final), hint)


@pytest.mark.points(1, after=STEP_CORE)
def test_train_step_train_mode(submission):
    events = submission.probe(probes.train_steps, STEP_CASES[1], 2)["events"]
    modes = ["train" if events[i][1] else "eval" for i in _training_forwards(events)]
    if "eval" in modes:
        fail("every training forward pass in train mode", f"modes {modes}",
             "The model stayed in eval mode during train_step (it came in eval mode, as after "
             "a validation pass): call model.train() at the start of train_step.")


# --- evaluate --------------------------------------------------------------------


@pytest.mark.points(1, after="evaluate_value")
def test_evaluate_returns_float(submission):
    got = submission.probe(probes.evaluation, EVAL_CASES[0])["result"]
    if hasattr(got, "shape"):
        fail("evaluate to return a Python float", show(got),
             "Convert each batch's loss with .item() and return a float.")
    expect_float(got, what="evaluate's return value", mistake="Return a Python float.")


@pytest.mark.points(2)
@pytest.mark.parametrize("case", EVAL_CASES, ids=_ids(EVAL_CASES))
def test_evaluate_value(submission, case):
    got = submission.probe(probes.evaluation, case)["loss"]
    expected = probes.evaluation(CONTRACT, case, mirror=True)["loss"]
    if not _same(got, expected):
        hint = _diagnose(probes.evaluation, (case,), lambda r: r["loss"], got,
                         mistakes=EVALUATE_MISTAKES, name="evaluate", expected=expected,
                         fallback="Weight each batch's mean loss by its batch size, add them "
                         "up, and divide by the number of samples.")
        fail(f"a mean per-sample loss of {number(expected, **TOLERANCE)} ({case})",
             _numbers(got), hint)


@pytest.mark.points(1, after="evaluate_value")
def test_evaluate_eval_mode(submission):
    events = submission.probe(probes.evaluation, EVAL_CASES[1])["events"]
    modes = ["train" if e[1] else "eval" for e in events if e[0] == "forward"]
    if not modes or "train" in modes:
        fail("every forward pass of evaluate in eval mode", f"modes {modes}",
             "The model was still in train mode (dropout and batch norm would behave as in "
             "training): call model.eval() before the loop.")


@pytest.mark.points(1, after="evaluate_value")
def test_evaluate_no_graph(submission):
    got = submission.probe(probes.evaluation, EVAL_CASES[1])
    graphs = [e[2] for e in got["events"] if e[0] == "forward"]
    if not graphs or any(graphs):
        backward = " and called loss.backward() on it, as in training" if got["grads"] else ""
        fail("no autograd graph during evaluate", f"{sum(graphs)} of {len(graphs)} forward "
             f"passes building one", f"evaluate built an autograd graph{backward}: run the "
             "loop inside `with torch.no_grad():` (or torch.inference_mode()).")


@pytest.mark.points(1, after="evaluate_value")
def test_evaluate_leaves_model_alone(submission):
    case = EVAL_CASES[2]
    got = submission.probe(probes.evaluation, case)
    before = probes.parameters(probes.build(case, mirror=True).model)  # built here, trusted
    if got["grads"]:
        fail("every parameter's .grad still None after evaluate", "gradients in .grad",
             "evaluate must not call loss.backward(): gradients belong in training, and these "
             "would leak into the next training step.")
    if not _same(got["after"], before):
        fail(f"parameters {number(before, **TOLERANCE)} unchanged", _numbers(got["after"]),
             "evaluate must not train or modify the model.")


# --- fit ---------------------------------------------------------------------------


def _history(got, epochs: int, validate: bool = True) -> tuple[list, list]:
    """The two lists of a well-formed history, or a failed check saying what is wrong."""
    lists = [_losses(got, key, length) for key, length in
             (("train_loss", epochs), ("val_loss", epochs if validate else 0))]
    for key in ("train_loss", "val_loss"):
        bad = [v for v in got[key] if isinstance(v, bool) or not isinstance(v, (int, float))]
        if bad:
            fail(f"{key} to hold Python floats", f"{show(bad[0])}",
                 "Store loss.item() (or the float train_step returns), not tensors.")
    return lists[0], lists[1]


def _loss_number(value):
    """A loss as a float, whatever holds it (a float, a one-element tensor); else as it is.
    The values are graded here, their type by ``fit_history``."""
    if isinstance(value, TensorInfo) and value.data is not None and value.data.numel() == 1:
        return float(value.data)
    return value


def _losses(got, key: str, length: int) -> list:
    """``got[key]``: a list of ``length`` losses (one per epoch), or a failed check."""
    if not isinstance(got, dict) or not {"train_loss", "val_loss"} <= set(got):
        keys = sorted(map(str, got)) if isinstance(got, dict) else None
        fail('a dict with keys "train_loss" and "val_loss"',
             f"a dict with keys {keys}" if keys is not None else show(got),
             'Return {"train_loss": [...], "val_loss": [...]}.')
    values = got[key]
    if not isinstance(values, list) or len(values) != length:
        extra = ""
        if isinstance(values, list) and len(values) in (length - 1, length + 1) and length:
            extra = OFF_BY_ONE
        elif isinstance(values, list) and len(values) > length > 0:
            extra = "Append one value per epoch, not one per batch."
        fail(f"{key} to be a list of {length} floats (one per epoch)", f"{show(values)}", extra)
    return [_loss_number(value) for value in values]


def _fit_run(submission, case: Case, epochs: int = EPOCHS, validate: bool = True) -> dict:
    """The student's fit on ``case``, the correct make_train_step and evaluate swapped in;
    run once per grading run, whichever fit check asks first."""
    diagnose = None if validate else _no_validation_advice
    return submission.shared(("fitting", case.seed, epochs, validate), lambda: submission.probe(
        probes.fitting, case, epochs, validate=validate, exact=True, diagnose=diagnose))


@pytest.mark.points(1, after=("fit_train_loss", "fit_val_loss"))
def test_fit_history(submission):
    _history(_fit_run(submission, FIT_CASES[0])["history"], EPOCHS)


def _no_validation_advice(raised: Raised) -> str:
    del raised
    return "val_loader defaults to None: validate only `if val_loader is not None:`."


@pytest.mark.points(1, after="fit_train_loss")
def test_fit_without_validation(submission):
    got = _fit_run(submission, FIT_CASES[1], 2, validate=False)["history"]
    if isinstance(got, dict) and got.get("val_loss") not in ([], None):
        fail("val_loss == [] when fit gets no val_loader", _numbers(got["val_loss"]),
             "Without a val_loader there is nothing to validate on: leave val_loss empty.")
    _losses(got, "train_loss", 2)
    _losses(got, "val_loss", 0)


def _fit_check(submission, case: Case, pick, what: str, fallback: str) -> None:
    """Compare ``pick`` of the student's fit run with the contract's; diagnose if they differ."""
    values = pick(_fit_run(submission, case))
    expected = pick(probes.fitting(CONTRACT, case, EPOCHS, mirror=True))
    if _same(values, expected):
        return
    hint = _diagnose(probes.fitting, (case, EPOCHS), pick, values, mistakes=FIT_MISTAKES,
                     name="fit", fallback=fallback, expected=expected)
    fail(f"{what} {number(expected, **TOLERANCE)} after {EPOCHS} epochs ({case})",
         _numbers(values), hint)


@pytest.mark.points(2, after="fit_parameters")
@pytest.mark.parametrize("case", FIT_CASES, ids=_ids(FIT_CASES))
def test_fit_train_loss(submission, case):
    _fit_check(submission, case, lambda r: _losses(r["history"], "train_loss", EPOCHS),
               "train_loss", "Each epoch's train_loss is the mean of the losses train_step "
               "returned, weighted by batch size.")


@pytest.mark.points(2, after="fit_parameters")
@pytest.mark.parametrize("case", FIT_CASES, ids=_ids(FIT_CASES))
def test_fit_val_loss(submission, case):
    _fit_check(submission, case, lambda r: _losses(r["history"], "val_loss", EPOCHS),
               "val_loss", "Each epoch's val_loss is evaluate(model, loss_fn, val_loader) "
               "after that epoch's training.")


@pytest.mark.points(2)
@pytest.mark.parametrize("case", FIT_CASES, ids=_ids(FIT_CASES))
def test_fit_parameters(submission, case):
    _fit_check(submission, case, lambda r: r["parameters"], "parameters",
               "fit should run train_step on every training batch, every epoch, and nothing "
               "else that changes the parameters.")


@pytest.mark.points(1, after="fit_parameters")
def test_fit_modes(submission):
    events = _fit_run(submission, FIT_CASES[0])["events"]
    training = _training_forwards(events)
    late = [seen for index, seen in training.items() if not events[index][1]]
    if late and min(late) > 0:
        fail("every training batch in train mode", "training batches in eval mode after the "
             "first validation pass", "Validation put the model in eval mode and nothing put "
             "it back: call model.train() at the start of every training step.")
    if late:
        fail("every training batch in train mode", "training batches in eval mode",
             "Call model.train() before training on a batch.")
    phase, validating = None, []
    for index, event in enumerate(events):
        phase = event[1] if event[0] == "batch" else phase
        if event[0] == "forward" and phase == "val" and index not in training:
            validating.append(event)
    if any(is_training for _, is_training, _ in validating):
        fail("every validation batch in eval mode", "validation in train mode",
             "Call model.eval() before validating (evaluate does).")
    if any(graph for _, _, graph in validating):
        fail("no autograd graph during validation", "validation building one",
             "Validate inside `with torch.no_grad():` (evaluate does).")


def _train_curve(history, epochs: int) -> list:
    """fit's train_loss as numbers where they are numbers, for the report's picture (which
    bounds them again); anything else in its place is drawn as "not a number"."""
    values = history.get("train_loss") if isinstance(history, dict) else None
    return [_loss_number(value) for value in values[:2 * epochs]] if isinstance(
        values, list) else []


@pytest.mark.points(2, after=STEP_CORE)
def test_fit_converges(submission, figure):
    got = submission.probe(probes.convergence, LINE_CASE, LINE_EPOCHS, timeout=20)
    # The picture: the student's whole pipeline against the contract's on the same seeded
    # line, drawn before any verdict (a run that does not converge is the one to look at).
    contract = probes.convergence(CONTRACT, LINE_CASE, LINE_EPOCHS, mirror=True)["history"]
    figure(LossCurves.of(f"fit: train_loss per epoch ({LINE_CASE}, MSE, lr={LINE_CASE.lr:g})",
                         _train_curve(got["history"], LINE_EPOCHS),
                         contract["train_loss"]))
    x, y = probes.build(LINE_CASE, mse=True, mirror=True).train_loader.dataset.tensors
    # The anchor is what seed 004's sanity check, sklearn's LinearRegression, computes:
    # ordinary least squares with an intercept (solved here without importing sklearn).
    design = torch.cat([x, torch.ones(len(x), 1, dtype=x.dtype)], dim=1)
    expected = torch.linalg.lstsq(design, y).solution.flatten().tolist()
    params = got["parameters"]
    if not _same(params, expected, rtol=0, atol=LINE_TOLERANCE):
        hint = _diagnose(probes.convergence, (LINE_CASE, LINE_EPOCHS), lambda r: r["parameters"],
                         params, mistakes=FIT_MISTAKES, name="fit",
                         fallback="Training does not converge: check the order backward, "
                         "step, zero_grad, and that every batch of every epoch is used.")
        shown = number(expected, rtol=0, atol=LINE_TOLERANCE)
        fail(f"fit to recover the least-squares fit {shown} (weights, bias) within "
             f"{LINE_TOLERANCE} after {LINE_EPOCHS} epochs of SGD on MSE",
             _numbers(params), hint)


@pytest.mark.points(0, after=(*STEP_CORE, "evaluate_value", "fit_parameters"))
def test_cuda_device(submission, cuda):
    case = FIT_CASES[0]
    got = submission.probe(probes.on_device, case, cuda, 2, timeout=60)
    expected = probes.on_device(CONTRACT, case, "cpu", 2, mirror=True)
    if got["devices"] != ["cuda:0"]:
        fail("the parameters to stay on cuda:0", f"{got['devices']}",
             "Do not move the model: the loaders already yield batches on its device.")
    for key in ("step", "evaluate"):
        expect_float(got[key], what=f"{key} on CUDA", mistake="Return a Python float "
                     "(loss.item()), not a CUDA tensor.")
    train, _ = _history(got["history"], 2)
    if not (_same(train, expected["history"]["train_loss"], rtol=1e-5, atol=1e-7)
            and _same(got["parameters"], expected["parameters"], rtol=1e-5, atol=1e-7)):
        shown = number(expected["parameters"], rtol=1e-5, atol=1e-7)
        fail(f"the same training on CUDA as on the CPU ({shown})",
             _numbers(got["parameters"]), "Keep every tensor on the batches' device.")


# --- variants (hidden: the reference itself, on setups of the student's own) ------------------


def _variant_case(variant: int, salt: int) -> Case:
    """A small setup drawn from the student's variant (``salt`` tells the checks apart)."""
    rng = torch.Generator().manual_seed(variant + salt)

    def draw(low: int, high: int) -> int:  # low..high inclusive
        return int(torch.randint(low, high + 1, (), generator=rng))

    batch_size = draw(2, 5)
    return Case(draw(0, 2**31), n_train=draw(batch_size + 1, 14), n_val=draw(batch_size + 1, 12),
                batch_size=batch_size, n_in=draw(1, 3), lr=0.02 * draw(1, 6))


def _expect_like_reference(got, expected, what: str, case: Case) -> None:
    if not _same(got, expected):
        fail(f"{what} {number(expected, **TOLERANCE)} ({case}, {case.n_in} features, "
             f"lr={case.lr:g})", _numbers(got), "The public checks pass but this setup "
             "differs: look for anything tied to their sizes or values.")


@pytest.mark.hidden
@pytest.mark.points(1, after=STEP_CORE)
def test_variant_train_step(submission, variant):
    case = _variant_case(variant, 1)
    got = submission.probe(probes.train_steps, case, STEPS)
    expected = probes.train_steps(reference, case, STEPS, mirror=True)
    _expect_like_reference(got["parameters"], expected["parameters"],
                           f"parameters after {STEPS} steps", case)
    _expect_like_reference(got["losses"], expected["losses"], f"the losses of {STEPS} steps",
                           case)


@pytest.mark.hidden
@pytest.mark.points(1, after="evaluate_value")
def test_variant_evaluate(submission, variant):
    case = _variant_case(variant, 2)
    got = submission.probe(probes.evaluation, case)["loss"]
    expected = probes.evaluation(reference, case, mirror=True)["loss"]
    _expect_like_reference(got, expected, "a mean per-sample loss of", case)


@pytest.mark.hidden
@pytest.mark.points(1, after=("fit_train_loss", "fit_val_loss", "fit_parameters"))
def test_variant_fit(submission, variant):
    """fit with the correct step and evaluate swapped in, as in its public checks."""
    case = _variant_case(variant, 3)
    got = submission.probe(probes.fitting, case, EPOCHS, exact=True)
    expected = probes.fitting(reference, case, EPOCHS, mirror=True)
    _expect_like_reference(got["parameters"], expected["parameters"],
                           f"parameters after {EPOCHS} epochs", case)
    for key in ("train_loss", "val_loss"):
        _expect_like_reference(_losses(got["history"], key, EPOCHS),
                               expected["history"][key], key, case)
