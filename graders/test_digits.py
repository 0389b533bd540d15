"""Grader for exercise digits: Net, make_loaders and fit on scikit-learn's digits (seeds 001, 002).

The student's digits.py runs with the net.py, dataset.py and training.py of the
same submission, so a failure there shows here too; hints name the file an
error came from. The dataset is compared with scikit-learn's bundled file, read
here without importing scikit-learn. ``predict`` is compared with the reference
on a spy classifier built the same way on both sides. Training is judged by its
properties (validation accuracy, history, reproducibility), measured in the
child. One child imports scikit-learn, loads the data and trains; its result is
shared by the checks that read it.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
from collections import OrderedDict
from pathlib import Path

import numpy as np
import pytest
import torch

from graders import Opaque, Raised, Returned, StudentError, TensorInfo, fail, number, show
from graders._submission import explain
from graders._values import Missing
from graders.probes import digits as probes
from solutions import digits as reference

SAMPLES, VAL_SAMPLES, BATCH = 1797, 359, reference.BATCH_SIZE
MIN_ACCURACY, ACCURACY_SEED = 0.90, 3
LOADER_SEEDS, TRAINING_SEEDS = [0, 1], [0, 1]
PREDICT_CASES = [(0, 5), (1, 1)]  # (spy seed, images): a batch of one keeps its dimension
TRAINING_TIMEOUT = 120  # one child imports scikit-learn (seconds), loads and trains 7 epochs
SIBLINGS = ("net.py", "dataset.py", "training.py")
DEFAULT_EPOCHS = ("Keep the documented default, epochs=EPOCHS with EPOCHS = "
                  f"{reference.EPOCHS}: the accuracy is promised within that budget.")


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

_RESULTS: OrderedDict = OrderedDict()


def _fingerprint(directory: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(Path(directory).glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _hint(outcome, diagnose) -> str:
    """The engine's hint, plus the likely mistake, plus the sibling file an error came from."""
    hint = explain(outcome, "digits")
    if not isinstance(outcome, Raised):
        return hint
    sibling = outcome.where.split(",")[0]
    if sibling in SIBLINGS:
        if outcome.type == "NotImplementedError" and not outcome.message:
            return (f"not implemented yet: digits.py uses your {sibling}, which still raises "
                    f"NotImplementedError ({outcome.where}). Finish that exercise first.")
        hint += f" digits.py runs your {sibling}: make that exercise pass first."
    return f"{hint} {diagnose(outcome)}".strip()


def _run(submission, probe, *args, timeout: float | None = None, shared: bool = False):
    """Run a probe; a failure fails the check with a hint. ``shared``: once per content."""
    key = (probe.__name__, repr(args), str(submission.directory),
           _fingerprint(submission.directory))
    if not shared or key not in _RESULTS:
        outcome = submission.outcome(probe, *args, timeout=timeout)
        result = ((True, outcome.value) if isinstance(outcome, Returned)
                  else (False, _hint(outcome, _diagnose)))
        if not shared:
            return _unwrap(result)
        _RESULTS[key] = result
        while len(_RESULTS) > 6:
            _RESULTS.popitem(last=False)
    return _unwrap(_RESULTS[key])


def _unwrap(result: tuple):
    ok, value = result
    if not ok:
        raise StudentError(value)
    return value


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


def _part(submission, name: str):
    """One part of the single child that imports scikit-learn and trains (shared by checks)."""
    parts = _run(submission, probes.data_and_training, LOADER_SEEDS, ACCURACY_SEED,
                 TRAINING_SEEDS, timeout=TRAINING_TIMEOUT, shared=True)
    part = parts[name]
    if "missing" in part:
        raise StudentError(explain(Missing(part["missing"]), "digits"))
    if "raised" in part:
        raise StudentError(_hint(Raised(*part["raised"]), _diagnose))
    return part["value"]


# --- the dataset --------------------------------------------------------------------------


def _dataset(submission) -> dict:
    return _part(submission, "dataset")


@pytest.mark.points(1)
def test_dataset_items(submission):
    got = _dataset(submission)
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
    got = _dataset(submission)
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
    return _part(submission, "loaders")


@pytest.mark.points(1)
def test_loaders_split(submission):
    run = _loaders(submission)[0]
    expected = {"sizes": [SAMPLES - VAL_SAMPLES, VAL_SAMPLES],
                "batch": [[BATCH, 1, 8, 8], [BATCH]]}
    if run["sizes"] != expected["sizes"]:
        fail(f"{expected['sizes'][0]} training and {VAL_SAMPLES} validation samples "
             f"(val_fraction={reference.VAL_FRACTION})", f"{run['sizes']}",
             "Call make_loaders(dataset, val_fraction=VAL_FRACTION, batch_size=BATCH_SIZE, "
             "seed=seed).")
    if run["batch"] != expected["batch"]:
        fail(f"training batches of images {expected['batch'][0]} and labels {expected['batch'][1]}",
             f"{run['batch']}", f"Use batch_size=BATCH_SIZE ({BATCH}).")


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


# --- predict --------------------------------------------------------------------------------


def _predicted(submission, case) -> dict:
    seed, count = case
    return _run(submission, probes.predictions, seed, count)


def _expected_labels(seed: int, count: int) -> tuple[torch.Tensor, torch.Tensor]:
    model, batch = probes.spy(seed), probes.images(seed, count)
    with torch.no_grad():
        logits = model.eval()(batch)
    return reference.predict(probes.spy(seed), batch), logits


@pytest.mark.points(2)
@pytest.mark.parametrize("case", PREDICT_CASES, ids=["5-images", "1-image"])
def test_predict_labels(submission, case):
    seed, count = case
    labels = _predicted(submission, case)["labels"]
    expected, logits = _expected_labels(seed, count)
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
    if not torch.equal(got.data, expected):
        fail(f"the labels {number(expected)}", number(got.data), "Each label is the index of "
             "the largest logit of its image, computed in eval mode (dropout off).")


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


@pytest.mark.points(1)
def test_predict_eval_mode(submission):
    log = _predicted(submission, PREDICT_CASES[0])["log"]
    if not log or any(training for training, _ in log):
        fail("every forward pass of predict in eval mode", f"{[t for t, _ in log]} (training?)",
             "Call model.eval() before predicting: dropout (and batch norm) behave differently "
             "in train mode, as seed 001 warns.")


@pytest.mark.points(1)
def test_predict_no_graph(submission):
    log = _predicted(submission, PREDICT_CASES[0])["log"]
    if not log or any(graph for _, graph in log):
        fail("no autograd graph while predicting", "a forward pass building one",
             "Predict inside `with torch.no_grad():` (or torch.inference_mode()), as seed "
             "001's evaluation does.")


@pytest.mark.points(1)
def test_predict_on_meta(submission):
    labels = _run(submission, probes.predictions_on_meta, 4)
    got = _expect_labels(labels, 4)
    if got.device != "meta" or got.shape != (4,) or got.dtype != "torch.int64":
        fail("int64 labels of shape (4,) on the images' device (meta)", show(got),
             "Keep predict in torch on the images' device: no .cpu(), .numpy() or .item().")


@pytest.mark.points(0)
def test_cuda_predict(submission, cuda):
    seed, count = PREDICT_CASES[0]
    got = _run(submission, probes.predictions, seed, count, cuda, timeout=60)["labels"]
    labels = _expect_labels(got, count)
    if labels.device != "cuda:0":
        fail("labels on cuda:0, the images' device", f"labels on {labels.device}",
             "Do not move the predictions off the images' device.")
    expected, _ = _expected_labels(seed, count)
    if not torch.equal(labels.data, expected):
        fail(f"the labels {number(expected)} on CUDA too", number(labels.data), "")


# --- training ----------------------------------------------------------------------------------


def _trained(submission) -> dict:
    return _part(submission, "training")


@pytest.mark.points(3)
def test_training_accuracy(submission):
    got = _trained(submission)
    if got["default_epochs"] != reference.EPOCHS:
        fail(f"train_digits(epochs=EPOCHS, ...) with EPOCHS = {reference.EPOCHS}",
             f"the default epochs={show(got['default_epochs'])}", DEFAULT_EPOCHS)
    if got["accuracy"] < MIN_ACCURACY:
        fail(f"a validation accuracy of at least {MIN_ACCURACY} after train_digits(seed="
             f"{ACCURACY_SEED}) with the default {reference.EPOCHS} epochs",
             f"{got['accuracy']:.3f}", "Check the recipe: Net(1, 8, 10), images / 16, "
             f"CrossEntropyLoss, Adam with lr=LEARNING_RATE ({reference.LEARNING_RATE}), "
             "EPOCHS epochs through fit. digits.py also runs your net.py, dataset.py and "
             "training.py: make those pass first.")


@pytest.mark.points(1)
def test_training_history(submission):
    got = _trained(submission)
    history, epochs = got["history"], reference.EPOCHS
    if got["default_epochs"] != epochs:
        fail(f"train_digits(epochs=EPOCHS, ...) with EPOCHS = {epochs}",
             f"the default epochs={show(got['default_epochs'])}", DEFAULT_EPOCHS)
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


@pytest.mark.points(1)
def test_training_uses_net(submission):
    got = _trained(submission)
    if not got["is_net"]:
        fail("the model to be the Net of your net.py", f"a {got['model']}",
             "Build the model with the Net imported from net.py: Net(in_channels=1, "
             "image_size=8, num_classes=10).")


def _seeded(submission) -> dict:
    return _part(submission, "seeded")


@pytest.mark.points(2)
def test_training_reproducible(submission):
    if not _seeded(submission)["repeat"]:
        fail("the same trained weights from two runs with the same seed",
             "different weights", "Call torch.manual_seed(seed) at the start of train_digits, "
             "before building Net: it fixes the initial weights and the shuffling.")


@pytest.mark.points(1)
def test_training_uses_seed(submission):
    if any(_seeded(submission)["others"]):
        fail("different weights for seeds 0 and 1", "the same weights",
             "The seed is ignored: call torch.manual_seed(seed), not a fixed number, and pass "
             "seed to make_digits_loaders.")
