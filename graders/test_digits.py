"""Grader for exercise digits: Net, make_loaders and fit on scikit-learn's digits (seeds 001, 002).

The student's digits.py runs with the net.py, dataset.py and training.py of the
same submission, so a failure there shows here too; hints name the file an
error came from. The dataset is compared with scikit-learn's bundled file, read
here without importing scikit-learn. ``predict`` is compared with the argmax of
a spy classifier built the same way on both sides. Training is judged by its
properties (validation accuracy, history, reproducibility). The child only
reports what the student's code produced (the trained state dict, the model's
type, the history): the accuracy is measured here, with those weights run
through the contract's ``Net(1, 8, 10)`` written with torch's functions, on the
contract's validation split (torch's ``random_split``), and equality of weights
is decided here too, since anything in the child can be rebound by the
submission. One child imports scikit-learn, loads the data and trains; its
result is shared by the checks that read it.

No public check needs the reference (the student kit has none): it gives the
constants only. The hidden variant checks redo predict and the split on the
student's own seeds.
"""

from __future__ import annotations

import atexit
import copy
import functools
import importlib.util
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from graders import (
    CheckFailed,
    LossCurves,
    Missing,
    Opaque,
    Raised,
    Returned,
    StudentError,
    TensorInfo,
    answer_key,
    close,
    fail,
    number,
    show,
)
from graders.probes import digits as probes

reference = answer_key("digits")

SAMPLES, VAL_SAMPLES = 1797, 359
MIN_ACCURACY, ACCURACY_SEED = 0.90, 3
LOADER_SEEDS, TRAINING_SEEDS = [0, 1], [0, 1]
PREDICT_CASES = [(0, 5), (1, 1)]  # (spy seed, images): a batch of one keeps its dimension
TRAINING_TIMEOUT = 120  # one child imports scikit-learn (seconds), loads and trains 7 epochs
SIBLINGS = ("net.py", "dataset.py", "training.py")
# The core: the dataset's values, the seeded split, predict's labels, the trained accuracy.
# The properties around them (types and shapes, batch size, eval mode, no graph, devices,
# history, reproducibility) are graded once their core is right.
CORE = ("dataset_values", "loaders_seeded", "predict_labels", "training_accuracy")
RECIPE = ("EPOCHS", "BATCH_SIZE", "LEARNING_RATE", "VAL_FRACTION")


def _recipe() -> dict:
    """The contract's constants, read from the reference by every check that uses one, all of
    them and whatever path the check takes: so the answer key holds each one (a constant read
    only on a failure path, or at import, might never be read while it is recorded)."""
    return {name: getattr(reference, name) for name in RECIPE}


# --- scikit-learn's digits, read without importing it -------------------------------------


@functools.cache
def _digits() -> tuple[torch.Tensor, torch.Tensor]:
    """``load_digits()``'s images (flattened, / 16, float32) and targets, from its own file."""
    spec = importlib.util.find_spec("sklearn")
    path = Path(spec.submodule_search_locations[0]) / "datasets" / "data" / "digits.csv.gz"
    table = np.loadtxt(path, delimiter=",")
    images = torch.from_numpy(table[:, :-1]).float() / 16
    return images, torch.from_numpy(table[:, -1]).long()


# --- running probes: sibling-aware hints, one child per result the checks share -------------

def _hint(submission, outcome, diagnose) -> str:
    """The engine's hint, plus the likely mistake, plus the sibling file an error came from."""
    hint = submission.explain(outcome)
    if not isinstance(outcome, Raised):
        return hint
    sibling = outcome.where.split(",")[0]
    if sibling in SIBLINGS:
        if outcome.type == "NotImplementedError" and not outcome.message:
            return (f"not implemented yet: digits.py uses your {sibling}, which still raises "
                    f"NotImplementedError ({outcome.where}). Finish that exercise first.")
        hint += f" digits.py runs your {sibling}: make that exercise pass first."
    return f"{hint} {diagnose(outcome)}".strip()


# --- the siblings: digits.py runs the submission's net.py, dataset.py and training.py -------


def _sibling_problem(submission, name: str) -> str:
    """Why the submission's ``<name>.py`` cannot carry digits.py, or '' when it does the
    contract's work on a small case (the sibling's own grader says exactly what is wrong)."""
    sibling = copy.copy(submission)
    sibling.exercise = name
    try:
        got = sibling.probe(getattr(probes, f"sibling_{name}"), timeout=60)
    except StudentError as error:
        return error.hint
    try:
        ({"net": _net_works, "dataset": _dataset_works, "training": _fit_works}[name])(got)
    except (_Broken, KeyError, IndexError, TypeError, ValueError, AttributeError,
            RuntimeError):
        return f"its {name} does not do what the {name} exercise asks yet"
    return ""


class _Broken(Exception):
    """A sibling does not do what its exercise asks on the small case."""


def _need(condition) -> None:
    if not condition:
        raise _Broken


def _net_works(got: dict) -> None:
    weights = _in_reference_names(got["state"])
    _need(weights is not None)
    batch = torch.rand(3, 1, 8, 8, generator=torch.Generator().manual_seed(0))
    expected = _net_logits(weights, batch)
    output = got["output"]
    _need(isinstance(output, TensorInfo) and output.data is not None)
    _need(torch.allclose(output.data.float(), expected, rtol=1e-4, atol=1e-5))


def _dataset_works(got: dict) -> None:
    x, y = torch.arange(40.0).view(20, 2), torch.arange(20)
    train_rows, val_rows = _split(len(y), 0.25, seed=5)
    item = got["item"]
    _need(got["length"] == 20 and isinstance(item, tuple) and len(item) == 2)
    _need(all(isinstance(part, TensorInfo) and part.data is not None for part in item))
    _need(torch.equal(item[0].data, x[3]) and torch.equal(item[1].data, y[3]))
    _need(got["batch"] == 4)
    _need(torch.equal(got["val"].data.sort().values, y[val_rows].sort().values))
    _need(torch.equal(got["train"].data.sort().values, y[train_rows].sort().values))


def _split(count: int, val_fraction: float, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """The rows of the (training, validation) parts of dataset.py's ``make_loaders``: torch's
    ``random_split`` of ``round(count * val_fraction)`` rows to validation, with a private
    generator seeded with ``seed``."""
    held_out = round(count * val_fraction)
    parts = torch.utils.data.random_split(range(count), [count - held_out, held_out],
                                          generator=torch.Generator().manual_seed(seed))
    return tuple(torch.tensor(list(part.indices)) for part in parts)


class _PlainSGD:
    """``torch.optim.SGD(params, lr)`` without momentum, written out: building a torch.optim
    optimizer imports torch._dynamo (seconds), which the parent has no other use for."""

    def __init__(self, parameters, lr: float) -> None:
        self.parameters, self.lr = list(parameters), lr

    def zero_grad(self) -> None:
        for parameter in self.parameters:
            parameter.grad = None

    @torch.no_grad()
    def step(self) -> None:
        for parameter in self.parameters:
            if parameter.grad is not None:
                parameter.add_(parameter.grad, alpha=-self.lr)


def _per_sample_mean(losses: list[tuple[float, int]]) -> float:
    """The mean loss per sample, from (batch mean, batch size) pairs."""
    return sum(loss * size for loss, size in losses) / sum(size for _, size in losses)


@functools.cache
def _expected_fit() -> tuple[dict, dict]:
    """What training.py's ``fit`` gives on the sibling check's small case (two epochs of
    plain SGD, then the per-sample mean validation loss each epoch), run here."""
    with torch.random.fork_rng(devices=[]):
        model = probes.sibling_model()
    train, val = probes.sibling_batches()
    sgd = _PlainSGD(model.parameters(), lr=0.1)
    history: dict = {key: [] for key in ("train_loss", "val_loss")}
    for _ in range(2):
        steps = []
        for x, y in train:
            sgd.zero_grad()
            batch_loss = F.cross_entropy(model(x), y)
            batch_loss.backward()
            sgd.step()
            steps.append((batch_loss.item(), len(y)))
        history["train_loss"].append(_per_sample_mean(steps))
        with torch.set_grad_enabled(False):  # nn.Linear: eval mode would change nothing
            history["val_loss"].append(_per_sample_mean(
                [(F.cross_entropy(model(x), y).item(), len(y)) for x, y in val]))
    return history, model.state_dict()


def _fit_works(got: dict) -> None:
    history, state = _expected_fit()
    for key in ("train_loss", "val_loss"):
        _need(len(got["history"][key]) == 2)
        _need(torch.allclose(torch.tensor(got["history"][key], dtype=torch.float64),
                             torch.tensor(history[key], dtype=torch.float64),
                             rtol=1e-4, atol=1e-6))
    for name, value in state.items():
        _need(torch.allclose(got["state"][name].data, value, rtol=1e-4, atol=1e-6))


def _siblings(submission) -> tuple[dict, Path | None]:
    """Once per grading run: the broken siblings (name to why) and, where the reference is
    in the kit, a folder holding the submission's files with those siblings replaced."""
    def compute() -> tuple[dict, Path | None]:
        broken = {name: why for name in SIBLINGS
                  if (why := _sibling_problem(submission, name.removesuffix(".py")))}
        folder = reference.directory  # None in the student kit: no reference siblings there
        if not broken or folder is None or not all((folder / name).is_file() for name in broken):
            return broken, None
        directory = Path(tempfile.mkdtemp(prefix="digits-beside-reference-"))
        atexit.register(shutil.rmtree, directory, ignore_errors=True)
        for path in Path(submission.directory).glob("*.py"):
            shutil.copyfile(path, directory / path.name)
        for name in broken:
            shutil.copyfile(folder / name, directory / name)
        return broken, directory

    return submission.shared("siblings", compute)


def _graded(submission):
    """The submission digits' checks run on. Its own files when its net.py, dataset.py and
    training.py work; else, where the reference is in the kit (instructor modes), its
    digits.py beside the reference of each broken sibling, so that a sibling's mistake costs
    that sibling's points only; where it is not (the student kit), a hint to fix it first."""
    broken, directory = _siblings(submission)
    if not broken:
        return submission
    if directory is None:
        names = " and ".join(broken)
        raise StudentError(f"digits.py builds on your {names}, which does not work yet ("
                           + "; ".join(f"{name}: {why}" for name, why in broken.items())
                           + f"). Fix {names} first: this kit grades digits once it works. "
                           f"Your instructor grades your digits.py beside a working {names}: "
                           "it costs you only that exercise's own points.")
    beside = copy.copy(submission)
    beside.directory = directory
    return beside


def _run(submission, probe, *args, timeout: float | None = None, shared: bool = False):
    """Run a probe; a failure fails the check with a hint. ``shared``: once per grading run,
    for the checks that read the same result."""
    submission = _graded(submission)

    def attempt():
        outcome = submission.outcome(probe, *args, timeout=timeout)
        if isinstance(outcome, Returned):
            return outcome.value
        raise StudentError(_hint(submission, outcome, _diagnose))

    return submission.shared((probe.__name__, repr(args)), attempt) if shared else attempt()


def _diagnose(raised) -> str:
    """The likely mistake behind an exception from the student's code."""
    text = f"{raised.type}: {raised.message}"
    if "x980" in text or "980x" in text:
        return ("Net was built for 28x28 images: pass image_size=8 (Net(in_channels=1, "
                "image_size=8, num_classes=10)).")
    if ("expected input" in text and "channels" in text) or "to have 1 channels" in text:
        return "Each image needs its channel dimension: shape (1, 8, 8) (unsqueeze(1))."
    if "numpy" in text.lower() or "meta tensor" in text:
        return ("Keep predict in torch, on the images' device: no .numpy(), .tolist() or "
                ".cpu().")
    if "Double" in text and "Float" in text:
        return "The images must be float32, like Net's weights: .float() or dtype=torch.float32."
    if "expected scalar type Long" in text or "0D or 1D target" in text or (
            "Float" in text and "target" in text.lower()):
        return "CrossEntropyLoss needs int64 class labels: dtype=torch.int64 (.long())."
    return ""


def _part(submission, name: str, contract_data: bool = False):
    """One part of the single child that imports scikit-learn and trains (shared by checks);
    ``contract_data``: of the child that trains on the contract's dataset instead."""
    parts = _run(submission, probes.data_and_training, LOADER_SEEDS, ACCURACY_SEED,
                 TRAINING_SEEDS, contract_data, timeout=TRAINING_TIMEOUT, shared=True)
    part = parts.get(name) if isinstance(parts, dict) else None
    if not isinstance(part, dict):
        raise StudentError(f"the grader could not read what {name} gave: {show(part)}.")
    if isinstance(part.get("missing"), str):
        raise StudentError(submission.explain(Missing(part["missing"])))
    raised = part.get("raised")
    if isinstance(raised, dict):
        fields = [raised.get(key) for key in ("type", "message", "where")]
        if all(isinstance(text, str) for text in fields):
            raise StudentError(_hint(submission, Raised(*fields), _diagnose))
    if "value" not in part:
        raise StudentError(f"the grader could not read what {name} gave: {show(part)}.")
    return part["value"]


# --- the dataset --------------------------------------------------------------------------


def _dataset(submission) -> dict:
    return _part(submission, "dataset")


def _dataset_right(submission) -> bool:
    """Whether load_digits_dataset gives the contract's dataset (both dataset checks pass)."""
    try:
        got = _dataset(submission)
        _check_items(got)
        _check_values(got)
    except (CheckFailed, StudentError):
        return False
    return True


def _training_part(submission, name: str):
    """A part of training, run on the student's own dataset when it is right, else on the
    contract's: a wrong dataset is the dataset checks' to grade, once."""
    return _part(submission, name, contract_data=not _dataset_right(submission))


@pytest.mark.points(1, after="dataset_values")
def test_dataset_items(submission):
    _check_items(_dataset(submission))


def _check_items(got: dict) -> None:
    if got["length"] != SAMPLES:
        fail(f"a dataset of {SAMPLES} digits", f"len(dataset) == {got['length']}",
             "Use all of load_digits(): images and target.")
    first = got["first"]
    if not isinstance(first, tuple) or len(first) != 2:
        fail("dataset[0] to be the pair (image, label)", show(first), "")
    image, label = first
    if not isinstance(image, TensorInfo) or image.shape != (1, 8, 8):
        hint = "Give each image one channel: shape (1, 8, 8), as Net's conv1 expects."
        if isinstance(image, TensorInfo) and image.shape == (64,):
            hint = ("That is a flat row of load_digits().data: Net needs images, "
                    "reshape to (1, 8, 8).")
        fail("each image a tensor of shape (1, 8, 8)", show(image), hint)
    if image.dtype != "torch.float32":
        fail("float32 images", image.dtype.removeprefix("torch."),
             "load_digits gives float64: convert with dtype=torch.float32 (or .float()), the "
             "dtype of Net's weights.")
    integer = isinstance(label, int) and not isinstance(label, bool)
    if not integer and not (isinstance(label, TensorInfo) and label.shape == ()
                            and label.dtype == "torch.int64"):
        fail("each label an int64 tensor of shape () (or a Python int)", show(label),
             "CrossEntropyLoss takes class indices: dtype=torch.int64, one number per image.")


@pytest.mark.points(2)
def test_dataset_values(submission):
    _check_values(_dataset(submission))


def _check_values(got: dict) -> None:
    images, targets = _digits()
    if got["labels"] is None or got["images"] is None:
        fail("every item an (image, label) pair of tensors", "items that could not be stacked",
             "Return the same kind of pair for every index.")
    labels = torch.tensor(got["labels"])
    if not torch.equal(labels, targets.float()):
        fail(f"the labels {number(targets[:8])}..., in load_digits' order", number(labels[:8]),
             "Keep the digits in scikit-learn's order, labels from load_digits().target.")
    pixels = got["images"].data.double()
    if tuple(pixels.shape) == tuple(images.shape) and torch.allclose(
            pixels, images.double(), rtol=1e-6, atol=1e-6):
        return
    hint = "Each image is load_digits().images[i] / 16, with one channel."
    if pixels.max() > 1.5:
        hint = ("The pixels go up to 16: divide by 16 to bring them into [0, 1] (the digits' "
                "pixels are 0..16, not 0..255).")
    elif pixels.max() < 0.1:
        hint = "The pixels are too small: the digits' pixels are 0..16, so divide by 16, not 255."
    elif pixels.min() < -0.01:
        hint = "Scale with / 16 as the contract says, not by standardising."
    fail("pixels load_digits().images / 16, in [0, 1]",
         f"values from {pixels.min():.3g} to {pixels.max():.3g}", hint)


# --- the loaders --------------------------------------------------------------------------


def _loaders(submission) -> list[dict]:
    """One run per seed, then the first seed again."""
    runs = _part(submission, "loaders")
    seeds = [*LOADER_SEEDS, LOADER_SEEDS[0]]
    if not isinstance(runs, list) or len(runs) != len(seeds) or not all(
            isinstance(run, dict) and {"sizes", "batch", "val"} <= set(run) for run in runs):
        count = len(runs) if isinstance(runs, list) else show(runs)
        fail(f"the loaders of make_digits_loaders for seeds {seeds}",
             f"{count} runs for {len(seeds)} seeds", "Return (train_loader, val_loader).")
    return runs


@pytest.mark.points(1, after="loaders_seeded")
def test_loaders_split(submission):
    recipe, run = _recipe(), _loaders(submission)[0]
    batch = recipe["BATCH_SIZE"]
    expected = {"sizes": [SAMPLES - VAL_SAMPLES, VAL_SAMPLES],
                "batch": [[batch, 1, 8, 8], [batch]]}
    if run["sizes"] != expected["sizes"]:
        fail(f"{expected['sizes'][0]} training and {VAL_SAMPLES} validation samples "
             f"(val_fraction={recipe['VAL_FRACTION']})", f"{run['sizes']}",
             "Call make_loaders(dataset, val_fraction=VAL_FRACTION, batch_size=BATCH_SIZE, "
             "seed=seed).")
    # The batch size only: the shape of an image is the dataset's (dataset_items), once.
    if [dims[:1] for dims in run["batch"]] != [[batch], [batch]]:
        fail(f"training batches of images {expected['batch'][0]} and labels {expected['batch'][1]}",
             f"{run['batch']}", f"Use batch_size=BATCH_SIZE ({batch}).")


@pytest.mark.points(1)
def test_loaders_seeded(submission):
    first, other, again = _loaders(submission)
    same = lambda a, b: torch.equal(a["val"].data.sort().values,  # noqa: E731
                                    b["val"].data.sort().values)
    if not same(first, again):
        fail("the same validation set for the same seed", "a different one each call",
             "Pass seed=seed to make_loaders: the split must be reproducible.")
    if same(first, other):
        fail("different validation sets for seeds 0 and 1", "the same one",
             "The seed is ignored: pass seed=seed to make_loaders.")


@pytest.mark.hidden
@pytest.mark.points(1, after=("dataset_values", "loaders_seeded"))
def test_variant_split(submission, variant):
    """make_digits_loaders(seed) on a seed of the student's own variant holds out the
    contract's validation digits (compared by their pixel sums)."""
    seed = int(np.random.default_rng(variant).integers(2, 2**31))
    runs = _run(submission, probes.loaders, [seed], timeout=TRAINING_TIMEOUT / 2)
    first = runs[0] if isinstance(runs, list) and runs else None
    got = first.get("val") if isinstance(first, dict) else None
    images, _ = _digits()
    _, rows = _split(SAMPLES, _recipe()["VAL_FRACTION"], seed)
    expected = images[rows].sum(dim=1).double().sort().values
    wanted = f"the contract's {VAL_SAMPLES} validation digits for seed {seed}"
    if not isinstance(got, TensorInfo) or got.data is None:
        fail(wanted, show(got), "Return (train_loader, val_loader).")
    pixels = got.data.double().sort().values
    if pixels.shape != expected.shape:
        fail(wanted, f"{len(pixels)} validation digits",
             "Call make_loaders(dataset, val_fraction=VAL_FRACTION, batch_size=BATCH_SIZE, "
             "seed=seed).")
    if not torch.allclose(pixels, expected, rtol=1e-5, atol=1e-4):
        fail(wanted, "other digits", "Split with make_loaders(..., seed=seed), passing the "
             "seed on unchanged: the split must be the contract's for every seed.")


# --- predict --------------------------------------------------------------------------------


def _predicted(submission, case) -> dict:
    seed, count = case
    return _run(submission, probes.predictions, seed, count)


def _expected_labels(seed: int, count: int) -> tuple[torch.Tensor, torch.Tensor]:
    """The labels predict must give (the eval-mode logits' argmax), and those logits."""
    model, batch = probes.spy(seed), probes.images(seed, count)
    with torch.set_grad_enabled(False):
        logits = model.eval()(batch)
    return logits.argmax(dim=1), logits


def _train_mode_labels(seed: int, count: int) -> torch.Tensor:
    """The labels of one forward pass left in train mode: the probe seeds the global RNG with
    ``seed`` just before predict, so its dropout is drawn again here. Leaving train mode on is
    ``predict_eval_mode``'s to grade; the labels are still the argmax of what the model gave."""
    model, batch = probes.spy(seed), probes.images(seed, count)
    with torch.random.fork_rng(devices=[]), torch.no_grad():
        torch.random.manual_seed(seed)  # as the probe seeds it, just before predict
        return model.train()(batch).argmax(dim=1)


@pytest.mark.points(2)
@pytest.mark.parametrize("case", PREDICT_CASES, ids=["5-images", "1-image"])
def test_predict_labels(submission, case):
    _check_predict(submission, *case)


def _check_predict(submission, seed: int, count: int) -> None:
    """predict's labels for the spy of ``seed`` on ``count`` seeded images."""
    predicted = _predicted(submission, (seed, count))
    labels = predicted["labels"]
    expected, logits = _expected_labels(seed, count)
    log = predicted["log"]
    in_train_mode = isinstance(log, list) and len(log) == 1 and bool(log[0]) and (
        log[0][0] is True)
    if isinstance(labels, tuple) and len(labels) == 2:
        fail(f"labels of shape ({count},)", "a pair", "outputs.max(dim=1) returns (values, "
             "indices): keep the indices, `_, predicted = outputs.max(dim=1)`.")
    got = _expect_labels(labels, count)
    if got.shape == (count, 10):
        fail(f"labels of shape ({count},)", f"shape {got.shape}", "Those are the logits: "
             "take the index of the largest one, argmax(dim=1).")
    if got.shape != (count,):
        hint = "Take argmax over the class dimension, dim=1." if got.shape == (10,) else ""
        fail(f"labels of shape ({count},)", f"shape {got.shape}", hint)
    if got.dtype != "torch.int64":
        hint = "Return int64 class indices (argmax), not scores."
        if got.data is not None and torch.allclose(got.data.double(),
                                                   logits.max(dim=1).values.double()):
            hint = ("Those are the largest logits, not their positions: "
                    "`_, predicted = outputs.max(dim=1)` keeps the indices.")
        fail("int64 labels", got.dtype.removeprefix("torch."), hint)
    if in_train_mode and torch.equal(got.data, _train_mode_labels(seed, count)):
        return
    if not torch.equal(got.data, expected):
        fail(f"the index of the largest logit of each of the {count} images",
             _wrong_labels(got.data, expected), "Each label is the index of the largest logit "
             "of its image, computed in eval mode (dropout off).")


@pytest.mark.hidden
@pytest.mark.points(1, after="predict_labels")
def test_variant_predict(submission, variant):
    """predict on a spy and images of the student's own variant: the public labels, copied,
    earn nothing here."""
    rng = np.random.default_rng(variant)
    _check_predict(submission, int(rng.integers(2, 2**31)), int(rng.integers(2, 9)))


def _wrong_labels(got: torch.Tensor, expected: torch.Tensor) -> str:
    """The student's labels and how many are wrong; not the expected labels, which are the
    answer itself for these seeded inputs."""
    wrong = int((got != expected).sum())
    return f"{number(got)}, {wrong} of {len(expected)} wrong"


def _expect_labels(labels, count: int) -> TensorInfo:
    if isinstance(labels, (np.ndarray, list)):
        fail(f"a tensor of {count} labels", show(labels), "Return the tensor argmax gives: "
             "no .numpy() or .tolist().")
    if isinstance(labels, Opaque) and "return_types" in labels.type:
        fail(f"a tensor of {count} labels", show(labels), "outputs.max(dim=1) returns (values, "
             "indices): keep the indices, `_, predicted = outputs.max(dim=1)`.")
    if not isinstance(labels, TensorInfo):
        fail(f"a tensor of {count} labels", show(labels), "Return model(images).argmax(dim=1).")
    return labels


@pytest.mark.points(1, after="predict_labels")
def test_predict_eval_mode(submission):
    log = _predicted(submission, PREDICT_CASES[0])["log"]
    if not log or any(training for training, _ in log):
        fail("every forward pass of predict in eval mode", f"{[t for t, _ in log]} (training?)",
             "Call model.eval() before predicting: dropout (and batch norm) behave differently "
             "in train mode, as seed 001 warns.")


@pytest.mark.points(1, after="predict_labels")
def test_predict_no_graph(submission):
    log = _predicted(submission, PREDICT_CASES[0])["log"]
    if not log or any(graph for _, graph in log):
        fail("no autograd graph while predicting", "a forward pass building one",
             "Predict inside `with torch.no_grad():` (or torch.inference_mode()), as seed "
             "001's evaluation does.")


@pytest.mark.points(1, after="predict_labels")
def test_predict_on_meta(submission):
    labels = _run(submission, probes.predictions_on_meta, 4)
    got = _expect_labels(labels, 4)
    if got.device != "meta" or got.shape != (4,) or got.dtype != "torch.int64":
        fail("int64 labels of shape (4,) on the images' device (meta)", show(got),
             "Keep predict in torch on the images' device: no .cpu(), .numpy() or .item().")


@pytest.mark.points(0, after="predict_labels")
def test_cuda_predict(submission, cuda):
    seed, count = PREDICT_CASES[0]
    got = _run(submission, probes.predictions, seed, count, cuda, timeout=60)["labels"]
    labels = _expect_labels(got, count)
    if labels.device != "cuda:0":
        fail("labels on cuda:0, the images' device", f"labels on {labels.device}",
             "Do not move the predictions off the images' device.")
    expected, _ = _expected_labels(seed, count)
    if not torch.equal(labels.data, expected):
        fail("the same labels on CUDA as on the CPU", _wrong_labels(labels.data, expected),
             "Each label is the index of the largest logit of its image, in eval mode.")


# --- training ----------------------------------------------------------------------------------

# The parameters of net.py's Net(1, 8, 10) by name: 5x5 convolutions to 12 then 20 channels,
# and 8x8 images pooled twice to 2x2 (20 * 2 * 2 = 80 inputs to fc1). A student's layer may be
# a block holding the Conv2d or Linear (conv1.0.weight), as net.py allows: it maps onto
# conv1.weight.
NET_SHAPES = {"conv1.weight": (12, 1, 5, 5), "conv1.bias": (12,),
              "conv2.weight": (20, 12, 5, 5), "conv2.bias": (20,),
              "fc1.weight": (200, 80), "fc1.bias": (200,),
              "fc2.weight": (10, 200), "fc2.bias": (10,)}
NET_CALL = "Net(in_channels=1, image_size=8, num_classes=10)"


def _net_logits(weights: dict, images: torch.Tensor) -> torch.Tensor:
    """The logits net.py's Net gives with ``weights`` (under NET_SHAPES' names), computed here
    with torch's functions: (conv with padding 2, ReLU, 2x2 max-pool) twice, flatten, fc1,
    ReLU, fc2. No autograd graph."""
    with torch.set_grad_enabled(False):
        features = images
        for conv in ("conv1", "conv2"):
            features = F.conv2d(features, weights[f"{conv}.weight"], weights[f"{conv}.bias"],
                                padding=2)
            features = F.max_pool2d(torch.relu(features), kernel_size=2)
        hidden = torch.relu(F.linear(torch.flatten(features, start_dim=1),
                                     weights["fc1.weight"], weights["fc1.bias"]))
        return F.linear(hidden, weights["fc2.weight"], weights["fc2.bias"])


def _in_reference_names(state) -> dict | None:
    """The student's trained weights under the contract Net's names, or None when they
    are not the tensors of a Net(1, 8, 10) (another model, other shapes, no values)."""
    shapes = NET_SHAPES
    if not isinstance(state, dict) or len(state) != len(shapes):
        return None
    renamed = {}
    for key, value in state.items():
        if not isinstance(key, str) or not isinstance(value, TensorInfo) or value.data is None:
            return None
        name = f"{key.split('.')[0]}.{key.rsplit('.', 1)[-1]}"
        if shapes.get(name) != tuple(value.shape) or not value.data.is_floating_point():
            return None
        renamed[name] = value.data.float()
    return renamed if renamed.keys() == shapes.keys() else None


@functools.cache
def _validation(seed: int, val_fraction: float) -> tuple[torch.Tensor, torch.Tensor]:
    """The contract's validation split for ``seed`` (make_loaders' random_split), with the
    labels: chosen and held here, so that no number about correctness comes from the child."""
    images, targets = _digits()
    _, rows = _split(SAMPLES, val_fraction, seed)
    return images[rows].view(-1, 1, 8, 8), targets[rows]


def _accuracy(weights: dict, val_fraction: float) -> float:
    """Validation accuracy of the contract's Net holding the student's trained weights."""
    images, labels = _validation(ACCURACY_SEED, val_fraction)
    predicted = _net_logits(weights, images).argmax(dim=1)
    return (predicted == labels).double().mean().item()


def _trained(submission) -> dict:
    got = _training_part(submission, "training")
    if not isinstance(got, dict) or not {"type", "state", "history", "default_epochs"} <= set(got):
        raise StudentError(f"the grader could not read what train_digits gave: {show(got)}.")
    return got


def _default_epochs(got: dict, epochs: int) -> None:
    if got["default_epochs"] != epochs:
        fail(f"train_digits(epochs=EPOCHS, ...) with EPOCHS = {epochs}",
             f"the default epochs={show(got['default_epochs'])}", "Keep the documented "
             f"default, epochs=EPOCHS with EPOCHS = {epochs}: the accuracy is promised within "
             "that budget.")


# The reference's train_loss per epoch for train_digits(seed=ACCURACY_SEED), for the report's
# picture only (no check compares it): training it here would take seconds and torch.optim
# on every grading run. tests/test_figures.py checks that the reference still gives it.
REFERENCE_TRAIN_LOSS = (1.696, 0.4413, 0.2146, 0.1699)


def _train_curve(history) -> list:
    """The history's train_loss as numbers where they are numbers (a float, a one-element
    tensor), for the report's picture, which bounds them again."""
    values = history.get("train_loss") if isinstance(history, dict) else None
    if not isinstance(values, list):
        return []
    return [float(v.data) if isinstance(v, TensorInfo) and v.data is not None
            and v.data.numel() == 1 else v for v in values[:4 * len(REFERENCE_TRAIN_LOSS)]]


@pytest.mark.points(3)
def test_training_accuracy(submission, figure):
    recipe, got = _recipe(), _trained(submission)
    figure(LossCurves.of(f"train_digits' train_loss per epoch (seed={ACCURACY_SEED})",
                         _train_curve(got["history"]), REFERENCE_TRAIN_LOSS))
    _default_epochs(got, recipe["EPOCHS"])
    weights = _in_reference_names(got["state"])
    if weights is None:
        fail(f"the trained weights of a {NET_CALL}", _state_text(got["state"]),
             f"The accuracy is measured on the Net train_digits returns: build it as {NET_CALL} "
             "from net.py (and make net.py pass first).")
    accuracy = _accuracy(weights, recipe["VAL_FRACTION"])
    if accuracy < MIN_ACCURACY:
        fail(f"a validation accuracy of at least {MIN_ACCURACY} after train_digits(seed="
             f"{ACCURACY_SEED}) with the default {recipe['EPOCHS']} epochs",
             number(accuracy, digits=3), "Check the recipe: Net(1, 8, 10), images / 16, "
             f"CrossEntropyLoss, Adam with lr=LEARNING_RATE ({recipe['LEARNING_RATE']}), "
             "EPOCHS epochs through fit. digits.py also runs your net.py, dataset.py and "
             "training.py: make those pass first.")


def _state_text(state) -> str:
    if not isinstance(state, dict):
        return f"{show(state)} instead of a model"
    shapes = [f"{key}: {list(value.shape)}" if isinstance(value, TensorInfo) else str(key)
              for key, value in list(state.items())[:4]]
    return f"a state dict of {len(state)} entries ({', '.join(shapes)}{', ...' * (len(state) > 4)})"


@pytest.mark.points(1, after="training_accuracy")
def test_training_history(submission):
    got = _trained(submission)
    history, epochs = got["history"], _recipe()["EPOCHS"]
    _default_epochs(got, epochs)
    if not isinstance(history, dict) or not {"train_loss", "val_loss"} <= set(history):
        fail('the history fit returns, {"train_loss": [...], "val_loss": [...]}',
             show(history), "Return (model, fit(...)).")
    lengths = [len(v) if isinstance(v, list) else None for v in
               (history["train_loss"], history["val_loss"])]
    if lengths != [epochs, epochs]:
        hint = "Call fit once, with epochs=epochs and the val_loader."
        if lengths == [1, 1]:
            hint = ("Only the last epoch is there: you called fit once per epoch. Call it "
                    "once, with epochs=epochs.")
        elif lengths[1] == 0:
            hint = "Pass val_loader to fit, so that it validates every epoch."
        fail(f"{epochs} training and {epochs} validation losses (EPOCHS={epochs})",
             f"{lengths[0]} and {lengths[1]}", hint)
    _one_epoch_histories(_training_part(submission, "seeded"))


def _one_epoch_histories(got) -> None:
    """``train_digits(epochs=1, ...)`` trains one epoch: its history says so."""
    histories = got.get("histories") if isinstance(got, dict) else None
    for history in histories if isinstance(histories, list) else []:
        losses = history.get("train_loss") if isinstance(history, dict) else None
        if isinstance(losses, list) and len(losses) != 1:
            fail("1 training loss after train_digits(epochs=1, ...)", f"{len(losses)}",
                 "train_digits ignores its epochs argument: pass epochs=epochs to fit.")


ADAM = {"betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0, "amsgrad": False}


def _recipe_problem(recipe: dict, lr: float) -> str:
    """What differs from the stated recipe, CrossEntropyLoss and Adam(lr=LEARNING_RATE) with
    Adam's other settings left alone, or '' when nothing does."""
    if recipe["loss"] != ["torch.nn.modules.loss", "CrossEntropyLoss"] or (
            recipe["reduction"] != "mean"):
        return (f"fit got the loss {recipe['loss'][-1]} (reduction {recipe['reduction']!r}): "
                "pass nn.CrossEntropyLoss() as it is.")
    if recipe["optimizer"][-1] != "Adam":
        return (f"fit got the optimizer {recipe['optimizer'][-1]}: the recipe is "
                "torch.optim.Adam(model.parameters(), lr=LEARNING_RATE).")
    settings = recipe["settings"]
    if not isinstance(settings.get("lr"), float) or not close(settings["lr"], lr, rtol=1e-9):
        return (f"Adam's learning rate is {show(settings.get('lr'))}: pass lr=LEARNING_RATE "
                "(Adam's default is 0.001).")
    def plain(value):  # the wire may bring a tuple back as a list
        return tuple(value) if isinstance(value, (list, tuple)) else value

    changed = [name for name, value in ADAM.items() if plain(settings.get(name)) != value]
    if changed:
        return (f"Adam's {', '.join(changed)} differ from its defaults: pass only "
                "lr=LEARNING_RATE.")
    return ""


@pytest.mark.points(1, after="training_accuracy")
def test_training_recipe(submission):
    """The docstring states the recipe: nn.CrossEntropyLoss() and torch.optim.Adam(
    model.parameters(), lr=LEARNING_RATE), handed to fit. Other recipes may reach the accuracy
    too; this check tells them apart."""
    recipe, lr = _trained(submission).get("recipe"), _recipe()["LEARNING_RATE"]
    wanted = f"train_digits to call fit with CrossEntropyLoss and Adam(lr={lr:g})"
    if not isinstance(recipe, dict):
        fail(wanted, "no call of fit", "Train through fit(model, loss_fn, optimizer, "
             "train_loader, epochs, val_loader), imported from training.py.")
    problem = _recipe_problem(recipe, lr)
    if problem:
        fail(wanted, f"{recipe['loss'][-1]} and {recipe['optimizer'][-1]}"
             f"({', '.join(f'{k}={v}' for k, v in sorted(recipe['settings'].items()))})",
             problem)


@pytest.mark.points(1, after="training_accuracy")
def test_training_uses_net(submission):
    got = _trained(submission)
    kind = got["type"]
    name = kind[1] if isinstance(kind, list) and len(kind) == 2 else show(kind)
    if kind != [f"{submission.package}.net", "Net"]:
        fail("the model to be the Net of your net.py", f"a {name}",
             "Build the model with the Net imported from net.py: Net(in_channels=1, "
             "image_size=8, num_classes=10).")
    if _in_reference_names(got["state"]) is None:
        fail(f"the layers of a {NET_CALL}", _state_text(got["state"]),
             f"Build it with these arguments, {NET_CALL}, and make net.py pass first.")


def _seeded(submission) -> list[tuple]:
    """(first seed, other run) pairs of one-epoch state dicts: the first seed's rerun first."""
    got = _training_part(submission, "seeded")
    runs = got.get("states") if isinstance(got, dict) else got
    expected = len(TRAINING_SEEDS) + 1  # the first seed twice, then the others
    if not isinstance(runs, list) or len(runs) != expected:
        count = len(runs) if isinstance(runs, list) else show(runs)
        seeds = [TRAINING_SEEDS[0], *TRAINING_SEEDS]
        fail(f"one trained model per call of train_digits (seeds {seeds})",
             f"{count} runs for {expected} seeds", "Return (model, history) from every call.")
    return [(runs[0], run) for run in runs[1:]]


def _same_weights(first, other) -> bool:
    """Both runs returned a model, with equal state dicts (same names, shapes and values)."""
    if not isinstance(first, dict) or not isinstance(other, dict) or first.keys() != other.keys():
        return False
    for a, b in zip(first.values(), other.values(), strict=True):
        if not (isinstance(a, TensorInfo) and isinstance(b, TensorInfo)) or (
                a.data is None or b.data is None or a.dtype != b.dtype):
            return False
        if not torch.equal(a.data, b.data):
            return False
    return True


@pytest.mark.points(2, after="training_accuracy")
def test_training_reproducible(submission):
    (first, again), *_ = _seeded(submission)
    if not _same_weights(first, again):
        fail("the same trained weights from two runs with the same seed",
             "different weights", "Call torch.manual_seed(seed) at the start of train_digits, "
             "before building Net: it fixes the initial weights and the shuffling.")


@pytest.mark.points(1, after="training_accuracy")
def test_training_uses_seed(submission):
    _, *others = _seeded(submission)
    if any(_same_weights(first, other) for first, other in others):
        fail("different weights for seeds 0 and 1", "the same weights",
             "The seed is ignored: call torch.manual_seed(seed), not a fixed number, and pass "
             "seed to make_digits_loaders.")
