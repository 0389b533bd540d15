"""Grader for exercise logistic: seed 000's logistic regression on the breast cancer data.

The split is compared with a twin of scikit-learn's (the bundled CSV file and
``train_test_split``'s permutation, rebuilt here without importing scikit-learn,
which takes seconds). Training is compared on small synthetic data with a twin
of the reference (the same model and initial weights, BCE, plain gradient
steps written out, so the parent never pays ``torch.optim``'s first-step
import); a wrong answer is matched against known mistakes, also written as
twins. The child only reports what the student's code produced: for the test
accuracy, the losses and trained parameters of ``train_logistic`` on the split
this grader sends; the accuracy is computed here, from those parameters, on the test
part held here. No public check calls the reference (``answer_key``): the student kit,
which has none, grades them alike; the hidden variant check compares forward with the
reference's model on sizes drawn from the student's variant. Only one child calls
``load_breast_cancer_split`` (and so imports scikit-learn, which takes
seconds); its result is shared by the checks that read it.
"""

from __future__ import annotations

import csv
import functools
import importlib.util
import math
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from graders import (
    LossCurves,
    StudentError,
    TensorInfo,
    answer_key,
    close,
    expect_tensor,
    fail,
    number,
    show,
    tensors_close,
)
from graders.probes import logistic as probes
from graders.probes.logistic import Case

reference = answer_key("logistic")  # called by the hidden variant check only

FEATURES, SAMPLES = 30, 569
# The default call, then other arguments: a split that ignores them shows.
SPLIT_CALLS = [{}, {"test_size": 0.25, "seed": 7}]
SPLIT_IDS = ["defaults", "test_size0.25-seed7"]
TRAIN_CASES = [Case(0), Case(1, samples=25, features=5, epochs=9, lr=0.3)]
ACCURACY_SEEDS, MIN_ACCURACY, DEFAULT_EPOCHS, DEFAULT_LR = [0, 1], 0.95, 100, 0.01
DATA_TIMEOUT = 60  # the child imports scikit-learn: seconds on a loaded machine
RTOL, ATOL = 1e-4, 1e-5  # float32, 100 gradient steps at most
# The core: the split's rows and scaling, the model's probabilities, training's trajectory and
# result. Return types, the meta device and a falling loss are graded once those are right.
CORE = ("split_rows", "train_part_standardised", "no_leakage", "model_structure", "model_output",
        "train_losses", "train_parameters", "test_accuracy")
# Training is graded on a model that is right: a wrong model is the model checks' to grade.
MODEL = ("model_structure", "model_output")


def _case_id(case: Case) -> str:
    return f"seed{case.seed}-{case.features}features"


# --- scikit-learn's data and split, rebuilt without importing it ---------------------------


def _bundled(name: str) -> Path:
    """A data file shipped inside scikit-learn (found without importing the package)."""
    spec = importlib.util.find_spec("sklearn")
    return Path(spec.submodule_search_locations[0]) / "datasets" / "data" / name


@functools.cache
def _breast_cancer() -> tuple[np.ndarray, np.ndarray]:
    """``load_breast_cancer(return_X_y=True)``: what its loader reads from the same file."""
    with _bundled("breast_cancer.csv").open() as handle:
        rows = list(csv.reader(handle))[1:]  # the first row holds counts and class names
    table = np.asarray(rows, dtype=np.float64)
    return table[:, :-1], table[:, -1].astype(int)


def _indices(test_size: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``train_test_split``'s (train, test) rows: ShuffleSplit's single permutation."""
    n_test = math.ceil(test_size * SAMPLES)
    permutation = np.random.RandomState(seed).permutation(SAMPLES)
    return permutation[n_test:], permutation[:n_test]


def _standardised(part: np.ndarray, statistics_of: np.ndarray, ddof: int = 0) -> torch.Tensor:
    mean, std = statistics_of.mean(axis=0), statistics_of.std(axis=0, ddof=ddof)
    return torch.from_numpy((part - mean) / std).float()


@functools.cache
def _expected(test_size: float = 0.2, seed: int = 42) -> dict:
    """The right split and, for the hints, the known wrong ways to scale it."""
    features, targets = _breast_cancer()
    train, test = _indices(test_size, seed)
    x_train, x_test = features[train], features[test]
    column = lambda rows: torch.from_numpy(targets[rows]).float().view(-1, 1)  # noqa: E731
    return {  # the right split, then what the usual mistakes give
        "y_train": column(train), "y_test": column(test),
        "x_train": _standardised(x_train, x_train), "x_test": _standardised(x_test, x_train),
        # (x_train, x_test) pairs
        "test with its own statistics": (_standardised(x_train, x_train),
                                         _standardised(x_test, x_test)),
        "scaler fitted on everything": (_standardised(x_train, features),
                                        _standardised(x_test, features)),
        "unbiased std": (_standardised(x_train, x_train, ddof=1),
                         _standardised(x_test, x_train, ddof=1)),
        "test left raw": (_standardised(x_train, x_train), torch.from_numpy(x_test).float()),
        "nothing scaled": (torch.from_numpy(x_train).float(), torch.from_numpy(x_test).float()),
    }


SCALING_HINTS = {
    "test with its own statistics": "You standardised the test part with its own mean and "
    "standard deviation (fit_transform on x_test): that uses test statistics. Fit the scaler on "
    "x_train only and call scaler.transform(x_test).",
    "scaler fitted on everything": "You computed the mean and standard deviation on the whole "
    "data set before splitting: the test part leaked into the scaling. Split first, then fit "
    "the scaler on x_train only.",
    "unbiased std": "You divided by the unbiased standard deviation (N - 1, torch.std's "
    "default): StandardScaler divides by N; use x.std(dim=0, correction=0).",
    "test left raw": "The test part was not standardised: transform it with the scaler fitted "
    "on x_train (scaler.transform(x_test)).",
    "nothing scaled": "Nothing was standardised: fit a StandardScaler on x_train and transform "
    "both parts with it.",
}


# --- one child per result the checks share ----------------------------------------------


def _shared(submission, name: str, probe, *args, timeout: float | None = None):
    """``probe``'s value, run once per grading run and shared by the checks that read it (the
    splits import scikit-learn, seconds); a failure fails each of them with its hint."""
    return submission.shared(name, lambda: submission.probe(probe, *args, timeout=timeout,
                                                            diagnose=_error_hint))


def _error_hint(raised) -> str:
    """The likely mistake behind an exception from the student's code."""
    text = f"{raised.type}: {raised.message}"
    if "between 0 and 1" in text:
        return ("BCELoss got values outside (0, 1), logits: apply torch.sigmoid in forward, "
                "since BCELoss expects probabilities.")
    if "target size" in text.lower() or "same size" in text.lower():
        return "BCELoss needs the targets shaped like the output, (N, 1): y.view(-1, 1)."
    if "Double" in text or "float64" in text:
        return ("Convert the data to float32 (.float() or .astype(np.float32)): the model is "
                "float32.")
    return ""


def _split_results(submission) -> list:
    results = _shared(submission, "splits", probes.splits, SPLIT_CALLS, timeout=DATA_TIMEOUT)
    if not isinstance(results, list) or len(results) != len(SPLIT_CALLS):
        fail(f"one split per call ({len(SPLIT_CALLS)} calls)", f"{show(results)}",
             "Return (x_train, x_test, y_train, y_test) from every call.")
    return results


def _split_result(submission, index: int) -> tuple:
    """The four parts as the contract states them: order, types, dtypes and shapes."""
    return _four_tensors(_split_results(submission)[index], SPLIT_CALLS[index])


def _split_values(submission, index: int) -> tuple:
    """The four parts' values, whatever their order, dtype or target shape (that is
    ``split_types``' business): the rows and the scaling are graded on their own."""
    got, kwargs = _split_results(submission)[index], SPLIT_CALLS[index]
    names = ("x_train", "x_test", "y_train", "y_test")
    if not isinstance(got, (tuple, list)) or len(got) != 4:
        fail(f"{_call_text(kwargs)} to return (x_train, x_test, y_train, y_test)", show(got),
             "Return the four parts in train_test_split's order.")
    values = []
    for name, part in zip(names, got, strict=True):
        value = part
        if isinstance(part, np.ndarray):
            value = torch.from_numpy(part)
        elif isinstance(part, TensorInfo) and part.data is not None:
            value = part.data
        if not isinstance(value, torch.Tensor) or not (value.is_floating_point()
                                                       or value.dtype == torch.int64):
            fail(f"{name} to be a tensor of numbers", show(part),
                 "Return four float32 torch tensors.")
        values.append(value.double())
    expected = _expected(**kwargs)
    wanted = [tuple(expected[name].shape) for name in names]
    parts: dict = {}
    for value in values:  # the four parts have four different shapes: find each by its own
        shape = tuple(value.shape)
        for name, want in zip(names, wanted, strict=True):
            if name not in parts and shape in {want, want[:1] if want[1:] == (1,) else want}:
                parts[name] = value.reshape(want)
                break
    if len(parts) != 4:
        got_shapes = [tuple(value.shape) for value in values]
        fail(f"parts of shapes {wanted} from {_call_text(kwargs)}", f"{got_shapes}",
             _shape_hint(dict(zip(names, got_shapes, strict=True)),
                         dict(zip(names, wanted, strict=True))))
    return tuple(parts[name].float() for name in names)


def _call_text(kwargs: dict) -> str:
    arguments = ", ".join(f"{key}={value}" for key, value in kwargs.items())
    return f"load_breast_cancer_split({arguments})"


def _four_tensors(got, kwargs: dict) -> tuple:
    """The four float32 tensors of the right shapes, or a failed check saying what is off."""
    call = _call_text(kwargs)
    if not isinstance(got, (tuple, list)) or len(got) != 4:
        fail(f"{call} to return (x_train, x_test, y_train, y_test)", show(got),
             "Return the four parts in train_test_split's order.")
    names = ("x_train", "x_test", "y_train", "y_test")
    for name, value in zip(names, got, strict=True):
        if isinstance(value, np.ndarray):
            fail(f"{name} to be a torch tensor", show(value),
                 "Convert the NumPy arrays with torch.from_numpy(...).float().")
        expect_tensor(value, what=name)
        if value.dtype != "torch.float32":
            fail(f"{name} to be float32", value.dtype.removeprefix("torch."),
                 "scikit-learn gives float64 (and int targets): convert with .float() or "
                 ".astype(np.float32), as the model's weights are float32.")
    expected = _expected(**kwargs)
    shapes = {name: tuple(expected[name].shape) for name in names}
    got_shapes = {name: tuple(value.shape) for name, value in zip(names, got, strict=True)}
    if got_shapes != shapes:
        fail(f"shapes {shapes} from {call}", f"{got_shapes}", _shape_hint(got_shapes, shapes))
    return tuple(value.data for value in got)


def _shape_hint(got: dict, expected: dict) -> str:
    if sorted(got.values()) == sorted(expected.values()):
        return ("The parts are in the wrong order: return x_train, x_test, y_train, y_test, "
                "as train_test_split does.")
    if got["y_train"] == expected["y_train"][:1]:
        return ("The targets must be columns of shape (N, 1), like the model's output: "
                "y.view(-1, 1).")
    if got["x_test"] == _expected()["x_test"].shape:
        return "That is the default test size: pass test_size=test_size to train_test_split."
    return "Split with train_test_split(X, y, test_size=test_size, random_state=seed)."


# --- the split --------------------------------------------------------------------------------


@pytest.mark.points(1, after="split_rows")
def test_split_types(submission):
    _split_result(submission, 0)


@pytest.mark.points(2)
@pytest.mark.parametrize("index", range(len(SPLIT_CALLS)), ids=SPLIT_IDS)
def test_split_rows(submission, index):
    _, _, y_train, y_test = _split_values(submission, index)
    kwargs = SPLIT_CALLS[index]
    expected = _expected(**kwargs)
    if torch.equal(y_train, expected["y_train"]) and torch.equal(y_test, expected["y_test"]):
        return
    hint = "Split with train_test_split(X, y, test_size=test_size, random_state=seed)."
    targets = torch.from_numpy(_breast_cancer()[1]).float()
    if kwargs and torch.equal(y_test, _expected(test_size=kwargs["test_size"])["y_test"]):
        hint = (f"That is the split of random_state=42, the default seed: pass "
                f"random_state=seed (seed={kwargs['seed']} here).")
    elif torch.equal(y_test.flatten(), targets[-len(y_test):]):
        hint = ("The test part is the last rows of the data: the split was not shuffled. "
                "train_test_split shuffles, with random_state=seed.")
    fail(f"the test targets of {_call_text(kwargs)} to start {number(expected['y_test'][:8])}",
         number(y_test[:8]), hint)


def _scaling_hint(got: torch.Tensor, which: int, kwargs: dict, fallback: str) -> str:
    """The known scaling mistake whose result ``got`` is (``which``: 0 train, 1 test)."""
    variants = _expected(**kwargs)
    for mistake, hint in SCALING_HINTS.items():
        if tensors_close(got, variants[mistake][which], rtol=RTOL, atol=ATOL):
            return hint
    return fallback


def _column_stats(part: torch.Tensor) -> str:
    means, stds = part.double().mean(0), part.double().std(0, correction=0)
    return (f"column means from {means.min():.3g} to {means.max():.3g}, standard deviations "
            f"from {stds.min():.3g} to {stds.max():.3g}")


@pytest.mark.points(1)
def test_train_part_standardised(submission):
    """Standardised with its own statistics: every column of x_train has mean 0 and population
    standard deviation 1, whichever rows the split chose (the rows are ``split_rows``')."""
    x_train = _split_values(submission, 0)[0]
    means, stds = x_train.double().mean(0), x_train.double().std(0, correction=0)
    if bool((means.abs() < 1e-4).all()) and bool(((stds - 1).abs() < 1e-4).all()):
        return
    hint = _scaling_hint(x_train, 0, {}, "Standardise each feature: subtract the training "
                         "part's mean and divide by its standard deviation (StandardScaler).")
    if hint.startswith("Standardise") and bool(((stds - math.sqrt((len(x_train) - 1)
                                                                  / len(x_train))).abs()
                                                 < 1e-4).all()):
        hint = SCALING_HINTS["unbiased std"]
    fail("every feature of x_train standardised with the training part's statistics "
         "(column means 0, standard deviations 1)", _column_stats(x_train), hint)


@pytest.mark.points(2, after="split_rows")  # the scaling of the right rows
@pytest.mark.parametrize("index", range(len(SPLIT_CALLS)), ids=SPLIT_IDS)
def test_no_leakage(submission, index):
    kwargs = SPLIT_CALLS[index]
    x_test = _split_values(submission, index)[1]
    expected = _expected(**kwargs)["x_test"]
    if tensors_close(x_test, expected, rtol=RTOL, atol=ATOL):
        return
    hint = _scaling_hint(x_test, 1, kwargs, "Transform x_test with the mean and standard "
                         "deviation of x_train (the scaler fitted on the training part).")
    fail("x_test scaled with the training part's mean and standard deviation "
         f"({_column_stats(expected)})", _column_stats(x_test), hint)


# --- the model --------------------------------------------------------------------------------


@pytest.mark.points(1)
@pytest.mark.parametrize("num_features", [FEATURES, 4])
def test_model_structure(submission, num_features):
    got = submission.probe(probes.structure, num_features)
    want = [{"in": num_features, "out": 1, "bias": True}]
    if not got["module"]:
        fail("LogisticRegression to be an nn.Module", "another class",
             "Subclass torch.nn.Module and call super().__init__().")
    if got["layers"] != want or got["parameters"] != num_features + 1:
        layers = [f"Linear({layer['in']}, {layer['out']}, bias={layer['bias']})"
                  for layer in got["layers"]]
        fail(f"one nn.Linear({num_features}, 1) with a bias ({num_features + 1} parameters)",
             f"{layers or 'no nn.Linear'} ({got['parameters']} parameters)",
             "A single neuron: nn.Linear(num_features, 1), one output for one probability.")


def _forward_error(raised) -> str:
    text = f"{raised.type} {raised.message}".lower()
    if "numpy" in text:
        return ("forward must stay in torch, on the input's device and attached to the graph: "
                "no NumPy there (torch.sigmoid does it).")
    if "meta" in text or "device" in text:
        return ("Keep forward on x's device: create no tensor on the CPU there (return "
                "torch.sigmoid(self.linear(x)), or pass device=x.device).")
    return ""


FORWARD_CASES = [(FEATURES, 5, 0), (4, 1, 1)]


def _forward(submission, num_features: int, batch: int, seed: int) -> tuple:
    """The output of the student's model on the seeded batch (regenerated here), the batch, and
    the weight then bias of its own layer as float64 (a missing bias as 0: that is
    ``model_structure``'s to grade)."""
    got = submission.probe(probes.forward, num_features, batch, seed, diagnose=_forward_error)
    output = expect_tensor(got["output"], shape=(batch, 1), what="the output",
                           mistake="forward returns one probability per sample, shape "
                           "(batch, 1).")
    parameters = got["parameters"]
    if parameters is None:
        fail("one nn.Linear inside LogisticRegression", "none or several", "")
    if len(parameters) not in (num_features, num_features + 1):
        fail(f"one nn.Linear({num_features}, 1) inside LogisticRegression",
             f"one holding {len(parameters)} parameters", "")
    x = torch.randn(batch, num_features, generator=torch.Generator().manual_seed(seed))
    weights = torch.tensor([*parameters, 0.0][:num_features + 1], dtype=torch.float64)
    return output, x, weights


def _expect_probabilities(output: TensorInfo, logits: torch.Tensor,
                          expected: torch.Tensor) -> None:
    """``output`` must be ``expected``, the probabilities of the student's own layer, and
    attached to the graph; a wrong one is named from its ``logits``."""
    if not tensors_close(output.data, expected, rtol=1e-4, atol=1e-6):
        hint = "forward must return torch.sigmoid(self.linear(x))."
        if tensors_close(output.data, logits, rtol=1e-4, atol=1e-6):
            hint = ("Those are the logits: apply torch.sigmoid in forward, since BCELoss "
                    "expects probabilities.")
        elif torch.all(output.data == 1):
            hint = ("Every output is 1: softmax over a single output is always 1. Use "
                    "torch.sigmoid for one probability.")
        elif tensors_close(output.data, logits.relu(), rtol=1e-4, atol=1e-6):
            hint = "That is a ReLU: a probability needs torch.sigmoid."
        elif tensors_close(output.data, torch.sigmoid(logits).round(), rtol=0, atol=1e-6):
            hint = ("You rounded the probabilities inside forward: round only when computing "
                    "the accuracy; training needs the probabilities.")
        fail(f"the probabilities {number(expected, rtol=1e-4, atol=1e-6)}",
             number(output.data, digits=4), hint)
    if not output.requires_grad:
        fail("an output attached to the autograd graph", "one that does not require grad",
             "Do not detach, convert to NumPy or use torch.no_grad() in forward: training "
             "needs the graph.")


def _logits(x: torch.Tensor, weights: torch.Tensor) -> torch.Tensor:
    features = x.shape[1]
    return x.double() @ weights[:features].view(-1, 1) + weights[features]


@pytest.mark.points(2)
@pytest.mark.parametrize("case", FORWARD_CASES, ids=["30features-batch5", "4features-batch1"])
def test_model_output(submission, case):
    # The student's own layer: the output must be the probabilities of that layer, computed
    # here (the reference's model is an object, which the student kit cannot replay).
    output, x, weights = _forward(submission, *case)
    logits = _logits(x, weights)
    _expect_probabilities(output, logits, torch.sigmoid(logits))


@pytest.mark.points(1, after="model_output")
def test_model_on_meta(submission):
    got = submission.probe(probes.on_meta, FEATURES, 3, diagnose=_forward_error)
    output = expect_tensor(got, shape=(3, 1), what="the output on the meta device")
    if output.device != "meta":
        fail("the output on the input's device (meta)", f"one on {output.device}",
             "Keep forward in torch, on x's device: do not create tensors on the CPU there.")


# --- training ---------------------------------------------------------------------------------


def _descent(x: torch.Tensor, y: torch.Tensor, seed: int, epochs: int, lr: float, *,
             loss: str = "bce", accumulate: bool = False, post_step: bool = False,
             momentum: float = 0.0, ascent: bool = False, start: list | None = None,
             adam: bool = False, batch: int | None = None, record: str = "last") -> dict:
    """The reference training (or a known mistake) with the gradient steps written out;
    ``start``: from these initial parameters instead of the seed's; ``batch``: mini-batches
    of that size in order, recording each epoch's ``last`` or ``mean`` batch loss. The model
    is built here, not taken from the reference (the student kit has none): LogisticRegression
    holds one nn.Linear(features, 1) and draws nothing else, so the seed gives it the same
    weights."""
    layer = _seeded_layer(x.shape[1], seed)
    if start is not None:
        torch.nn.utils.vector_to_parameters(torch.tensor(start), layer.parameters())
    parameters = list(layer.parameters())
    losses_of = {"bce": F.binary_cross_entropy, "mse": F.mse_loss,
                 "sum": lambda p, t: F.binary_cross_entropy(p, t, reduction="sum"),
                 "logits": F.binary_cross_entropy_with_logits}
    step = _Step(parameters, lr * (1.0 if ascent else -1.0), momentum, adam)
    losses: list[float] = []
    for _epoch in range(epochs):
        size = batch or len(x)
        seen = []
        for first in range(0, len(x), size):
            xb, yb = x[first:first + size], y[first:first + size]
            value = losses_of[loss](torch.sigmoid(layer(xb)), yb)
            step(torch.autograd.grad(value, parameters), accumulate)
            seen.append(value.item())
        with torch.autograd.no_grad():
            after = losses_of[loss](torch.sigmoid(layer(x)), y).item()
        losses.append(after if post_step else seen[-1] if record == "last" else
                      sum(seen) / len(seen))
    flat = [v for p in parameters for v in p.detach().flatten().tolist()]
    return {"losses": losses, "parameters": flat}


class _Step:
    """One optimizer step on ``parameters``, written out: SGD (with momentum, or with the
    gradients accumulated across steps) or Adam with its defaults, as torch.optim computes
    them (the parent never builds a torch.optim optimizer: that imports torch._dynamo)."""

    def __init__(self, parameters: list, scale: float, momentum: float, adam: bool) -> None:
        self.parameters, self.scale, self.momentum, self.adam = parameters, scale, momentum, adam
        self.grads = [torch.zeros_like(p) for p in parameters]
        self.first = [torch.zeros_like(p) for p in parameters]
        self.second = [torch.zeros_like(p) for p in parameters]
        self.count = 0

    def __call__(self, new: tuple, accumulate: bool) -> None:
        self.count += 1
        self.grads = [g + n for g, n in zip(self.grads, new, strict=True)] if accumulate else (
            list(new))
        with torch.autograd.no_grad():
            for p, g, m, v in zip(self.parameters, self.grads, self.first, self.second,
                                  strict=True):
                if self.adam:  # betas (0.9, 0.999), eps 1e-8, as torch.optim.Adam
                    m.lerp_(g, 0.1)
                    v.mul_(0.999).addcmul_(g, g, value=0.001)
                    denom = (v.sqrt() / math.sqrt(1 - 0.999 ** self.count)).add_(1e-8)
                    p.addcdiv_(m, denom, value=self.scale / (1 - 0.9 ** self.count))
                else:
                    m.mul_(self.momentum).add_(g)
                    p.add_(m if self.momentum else g, alpha=self.scale)


def _seeded_layer(features: int, seed: int) -> torch.nn.Linear:
    """The neuron train_logistic builds after seeding, leaving the parent's RNG as it was."""
    with torch.random.fork_rng(devices=[]):
        torch.random.manual_seed(seed)
        return torch.nn.Linear(features, 1)


def _twin(case: Case, *, lr: float | None = None, epochs: int | None = None, **mistake) -> dict:
    """The reference (or a known mistake) on the case's synthetic data."""
    x, y = probes.data(case)
    return _descent(x, y, case.seed, case.epochs if epochs is None else epochs,
                    case.lr if lr is None else lr, **mistake)


ASCENT = ("The loss grows: the update goes up the gradient. Subtract lr * gradient "
          "(optimizer.step() does).")
TRAINING_MISTAKES = [
    ({"accumulate": True}, "The losses drift from the reference after the first step: the "
     "gradients accumulated across epochs. Clear them every epoch with optimizer.zero_grad()."),
    ({"lr": 0.01}, "That is training with lr=0.01 whatever lr was passed: give the optimizer "
     "lr=lr."),
    ({"loss": "mse"}, "Those are MSE losses: logistic regression trains with nn.BCELoss()."),
    ({"loss": "sum"}, "The losses are N times too large: BCELoss averages over the samples "
     "(keep reduction='mean')."),
    ({"loss": "logits"}, "You used BCEWithLogitsLoss on probabilities, applying the sigmoid "
     "twice: the model already outputs sigmoid probabilities, so use nn.BCELoss()."),
    ({"post_step": True}, "Those are the losses after each step: record the loss of the "
     "forward pass the step was based on (loss.item() before or after step(), it is the "
     "same number; do not recompute it)."),
    ({"momentum": 0.9}, "That is SGD with momentum: seed 000 uses plain SGD (momentum 0)."),
    ({"adam": True}, "That is Adam: the recipe is torch.optim.SGD(model.parameters(), lr=lr)."),
    *(({"batch": size, "record": record}, "Those are mini-batch steps: the recipe is "
       "full-batch gradient descent, one step per epoch on the whole training set.")
      for size in (8, 16, 32, 64) for record in ("last", "mean")),
    ({"ascent": True}, ASCENT),
]
INITIAL_WEIGHTS = ("The first loss already differs, so the initial weights differ: call "
                   "torch.manual_seed(seed) and then LogisticRegression(x_train.shape[1]), with "
                   "nothing random in between.")


def _same(got, expected, rtol: float = RTOL, atol: float = ATOL) -> bool:
    return (isinstance(got, list) and len(got) == len(expected)
            and all(close(g, e, rtol=rtol, atol=atol) for g, e in zip(got, expected, strict=True)))


def _training_hint(case: Case, pick, got, fallback: str, **own) -> str:
    for mistake, hint in TRAINING_MISTAKES:
        if _same(got, pick(_twin(case, **{**own, **mistake}))):
            return hint
    losses_differ = pick is _losses and got and not close(got[0], _twin(case)["losses"][0],
                                                          rtol=RTOL, atol=ATOL)
    return INITIAL_WEIGHTS if losses_differ else fallback


def _losses(result: dict) -> list:
    return result["losses"]


def _numbers(values, *, expected: bool) -> str:
    """Losses or parameters for a hint: the expected ones rounded (``number``), so that a
    hint never gives them away to within the check's tolerance; the student's own as is."""
    if not isinstance(values, list):
        return show(values)
    if expected:
        return number(values, rtol=RTOL, atol=ATOL)
    return number(values, digits=5)


def _floats(values) -> list | None:
    """The losses as floats (Python numbers, or one-element tensors), else None."""
    if not isinstance(values, list):
        return None
    floats = []
    for item in values:
        one = isinstance(item, TensorInfo) and item.data is not None and item.data.numel() == 1
        value = item.data.item() if one else item
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None
        floats.append(float(value))
    return floats


def _training(submission, case: Case) -> dict:
    got = submission.probe(probes.training, case, diagnose=_error_hint)
    if not isinstance(got, dict) or not {"type", "length", "losses", "parameters",
                                         "model"} <= set(got):
        raise StudentError(f"the grader could not read what train_logistic gave: {show(got)}.")
    if got["length"] != 2:
        fail("train_logistic to return the pair (model, losses)", f"a {got['type']}"
             + (f" of length {got['length']}" if got["length"] is not None else ""),
             "End with `return model, losses`.")
    return got


def _epochs_run(case: Case, losses) -> int:
    """How many epochs the student's run made: ``case.epochs``, or one more or one less when
    the losses say so (a loop off by one is ``train_returns``' to grade, once)."""
    if isinstance(losses, list) and abs(len(losses) - case.epochs) == 1:
        return len(losses)
    return case.epochs


@pytest.mark.points(2, after=MODEL)
@pytest.mark.parametrize("case", TRAIN_CASES, ids=_case_id)
def test_train_losses(submission, case):
    got = _floats(_training(submission, case)["losses"])
    epochs = _epochs_run(case, got)
    expected = _twin(case, epochs=epochs)["losses"]
    if not _same(got, expected):
        hint = _training_hint(case, _losses, got, "Each epoch: forward on the whole training "
                              "set, BCELoss, backward, step, zero_grad; record loss.item().")
        fail(f"the losses {_numbers(_twin(case)['losses'], expected=True)} ({case})",
             _numbers(got, expected=False), hint)


def _start(case: Case, got: dict) -> list | None:
    """The student's model's parameters before training, when they are those of one
    nn.Linear(features, 1): the trained parameters are followed from there."""
    start = got.get("start")
    if isinstance(start, list) and len(start) == case.features + 1 and all(
            type(v) is float and math.isfinite(v) for v in start):
        return start
    return None


@pytest.mark.points(2, after=MODEL)
@pytest.mark.parametrize("case", TRAIN_CASES, ids=_case_id)
def test_train_parameters(submission, case):
    """The trained parameters, from the student's own start (the seed's start is
    ``train_losses``' to grade) and the student's own number of epochs."""
    got = submission.probe(probes.training, case, diagnose=_error_hint)
    if not isinstance(got, dict) or "parameters" not in got:
        raise StudentError(f"the grader could not read what train_logistic gave: {show(got)}.")
    parameters = got["parameters"]
    if parameters is None:
        fail("the returned model to hold one nn.Linear", "none or several",
             "Return the LogisticRegression you trained.")
    own = {"start": _start(case, got), "epochs": _epochs_run(case, got.get("losses"))}
    expected = _twin(case, **own)["parameters"]
    if not _same(parameters, expected):
        hint = _training_hint(case, lambda r: r["parameters"], parameters, "Train with "
                              "torch.optim.SGD(model.parameters(), lr=lr), one full-batch step "
                              "per epoch, and return that model.", **own)
        fail(f"weights and bias {_numbers(expected, expected=True)} after training ({case})",
             _numbers(parameters, expected=False), hint)


# After train_losses, and so below it: a gated check runs after the checks above it.
@pytest.mark.points(1, after="train_losses")
def test_train_returns(submission):
    case = TRAIN_CASES[0]
    got = _training(submission, case)
    if not got["model"]:
        fail("the trained model (an nn.Module) first", "something else",
             "Return (model, losses), in that order.")
    losses = got["losses"]
    if not isinstance(losses, list) or len(losses) != case.epochs:
        extra = ""
        if isinstance(losses, list) and abs(len(losses) - case.epochs) == 1:
            extra = "Loop with `for epoch in range(epochs)`: the count is off by one."
        fail(f"a list of {case.epochs} losses (one per epoch, epochs={case.epochs})",
             show(losses), extra)
    bad = [v for v in losses if isinstance(v, bool) or not isinstance(v, float)]
    if bad:
        fail("losses to hold Python floats", show(bad[0]),
             "Append loss.item(), not the loss tensor (which keeps its graph alive).")


def _variant_case(rng: np.random.Generator) -> Case:
    """The synthetic data and arguments of a student's variant run: sizes, epochs and learning
    rates within the public cases' range (short runs, no step large enough to diverge)."""
    return Case(int(rng.integers(2, 2**20)), samples=int(rng.integers(20, 61)),
                features=int(rng.integers(2, 9)), epochs=int(rng.integers(3, 9)),
                lr=float(rng.choice([0.05, 0.1, 0.2, 0.3])))


@pytest.mark.hidden
@pytest.mark.points(2, after=(*MODEL, "train_losses", "train_parameters"))
def test_variant_model_and_training(submission, variant):
    """forward and train_logistic on sizes and data of the student's own variant: copying the
    public answer key's numbers earns nothing here. The probabilities are those of the
    reference's model holding the student's layer; the run is compared with the reference's
    twin (the reference's own train_logistic would import torch.optim here, seconds)."""
    rng = np.random.default_rng(variant)
    features, batch = int(rng.integers(2, 41)), int(rng.integers(2, 9))
    output, x, weights = _forward(submission, features, batch, int(rng.integers(2**20)))
    with torch.random.fork_rng(devices=[]):
        model = reference.LogisticRegression(features)
    torch.nn.utils.vector_to_parameters(weights.float(), model.parameters())
    with torch.autograd.no_grad():
        expected = model(x)
    _expect_probabilities(output, _logits(x, weights), expected)
    case = _variant_case(rng)
    got = _training(submission, case)
    losses = _floats(got["losses"])
    run = _twin(case, epochs=_epochs_run(case, losses))  # off by one: train_returns' to grade
    if not _same(losses, run["losses"]):
        fail(f"the losses {_numbers(run['losses'], expected=True)} ({case})",
             _numbers(losses, expected=False), _training_hint(
                 case, _losses, losses, "Each epoch: forward on the whole training set, "
                 "BCELoss, backward, step, zero_grad; record loss.item()."))
    if not _same(got["parameters"], run["parameters"]):
        fail(f"weights and bias {_numbers(run['parameters'], expected=True)} after training "
             f"({case})", _numbers(got["parameters"], expected=False),
             "Train with torch.optim.SGD(model.parameters(), lr=lr), one full-batch step per "
             "epoch, and return that model.")


@functools.cache
def _default_split() -> tuple[torch.Tensor, ...]:
    """The right default split, as float32 tensors: sent to the child to train on, and
    its test part kept here to measure the accuracy."""
    expected = _expected()
    return expected["x_train"], expected["y_train"], expected["x_test"], expected["y_test"]


def _test_accuracy(parameters: list) -> float:
    """Test accuracy of the student's trained weight and bias, on the test part held here
    (the contract's model, sigmoid(x @ w.T + b), computed here: no reference object needed)."""
    values = torch.tensor(parameters)
    weight, bias = values[:FEATURES].view(1, FEATURES), values[FEATURES:]
    _, _, x_test, y_test = _default_split()
    with torch.autograd.no_grad():
        predicted = (torch.sigmoid(F.linear(x_test, weight, bias)) > 0.5).float()
    return (predicted == y_test).double().mean().item()


@functools.cache
def _reference_run(seed: int) -> dict:
    """The reference's training with train_logistic's defaults on the default split (its
    twin, ``_descent``): its losses and trained parameters."""
    x_train, y_train, _, _ = _default_split()
    return _descent(x_train, y_train, seed, DEFAULT_EPOCHS, DEFAULT_LR)


def _reference_accuracy(seed: int) -> float:
    """What the reference reaches with train_logistic's defaults (for the hint)."""
    return _test_accuracy(_reference_run(seed)["parameters"])


def _accuracy_runs(submission) -> list[tuple[int, dict]]:
    """(seed, run) pairs: train_logistic's defaults on the default split, one run per seed."""
    x_train, y_train, _, _ = _default_split()
    runs = _shared(submission, "runs", probes.runs, x_train, y_train, ACCURACY_SEEDS)
    if not isinstance(runs, list) or len(runs) != len(ACCURACY_SEEDS):
        count = len(runs) if isinstance(runs, list) else show(runs)
        fail(f"one train_logistic run per seed {ACCURACY_SEEDS}",
             f"{count} runs for {len(ACCURACY_SEEDS)} seeds",
             "Return (model, losses) from every call of train_logistic.")
    if not all(isinstance(run, dict) and {"pair", "losses", "parameters"} <= set(run)
               for run in runs):
        raise StudentError(f"the grader could not read what train_logistic gave: {show(runs)}.")
    if not all(run["pair"] is True for run in runs):
        fail("train_logistic to return the pair (model, losses)", "something else",
             "End with `return model, losses`.")
    return list(zip(ACCURACY_SEEDS, runs, strict=True))


def _trained_parameters(run: dict) -> list:
    parameters = run["parameters"]
    if not isinstance(parameters, list) or len(parameters) != FEATURES + 1 or not all(
            type(v) is float for v in parameters):
        fail(f"the returned model to hold one nn.Linear({FEATURES}, 1)", "none or several",
             "Return the LogisticRegression you trained.")
    return parameters


@pytest.mark.points(3, after=("train_losses", "train_parameters"))  # the defaults' result
def test_test_accuracy(submission):
    for seed, run in _accuracy_runs(submission):
        losses = _floats(run["losses"])
        if losses is None or abs(len(losses) - DEFAULT_EPOCHS) > 1:  # off by one: train_returns
            fail(f"{DEFAULT_EPOCHS} losses from train_logistic's defaults (epochs=100)",
                 show(run["losses"]), "Keep the documented defaults: epochs=100, lr=0.01, seed=0.")
        accuracy = _test_accuracy(_trained_parameters(run))
        if accuracy < MIN_ACCURACY:
            fail(f"a test accuracy of at least {MIN_ACCURACY} after {DEFAULT_EPOCHS} epochs "
                 f"(default split, seed={seed}; the reference reaches "
                 f"{number(_reference_accuracy(seed), rtol=0, atol=0.01)})",
                 number(accuracy, digits=3), _rising(losses) or "Check that training follows "
                 "the contract (BCELoss, SGD with lr=0.01, the model's sigmoid output).")


def _curve(values) -> list:
    """The losses as numbers where they are numbers, for the report's picture (which bounds
    them again and draws anything else as "not a number")."""
    if not isinstance(values, list):
        return []
    return [(_floats([value]) or [value])[0] for value in values[:2 * DEFAULT_EPOCHS]]


@pytest.mark.points(1, after=MODEL)  # on the default split's 100 epochs, not only 6 or 9
def test_loss_decreases(submission, figure):
    runs = _accuracy_runs(submission)
    seed, run = runs[0]  # the picture: the first seed's run against the reference's
    figure(LossCurves.of(f"train_logistic's loss per epoch (default split, seed={seed}, "
                         f"lr={DEFAULT_LR})", _curve(run["losses"]),
                         _reference_run(seed)["losses"]))
    for seed, run in runs:
        losses = _floats(run["losses"]) or []
        rises = [i for i in range(1, len(losses)) if not losses[i] < losses[i - 1]]
        if not losses or rises or not losses[-1] < losses[0]:
            where = f"epoch {rises[0]}" if rises else "the end"
            fail(f"the training loss to fall every epoch (default split, seed={seed})",
                 f"{_numbers(losses, expected=False)}, not falling at {where}",
                 _rising(losses) or "Full-batch gradient descent with a small learning rate "
                 "lowers the loss at every step: check zero_grad, the sign of the update and "
                 "the learning rate.")


def _rising(losses: list) -> str:
    """The hint for a loss that climbs from start to end, or that falls and then climbs back
    for good (the steps keep growing), or ''."""
    if losses and losses[-1] > losses[0]:
        return ASCENT
    rises = [i for i in range(1, len(losses)) if not losses[i] < losses[i - 1]]
    if len(rises) > 1 and rises[0] > 1 and losses[-1] > min(losses):
        return (f"The loss falls, then climbs from epoch {rises[0]} on: the steps keep growing "
                "because the gradients accumulated across epochs. Clear them every epoch with "
                "optimizer.zero_grad().")
    return ""
