"""Grader for exercise dataset: CustomDataset, a seeded train/validation split, DataLoaders."""

import pytest
import torch

from graders import Raised, TensorInfo, expect_count, fail, number, show, tensors_close
from graders.probes import dataset as probes
from solutions import dataset as reference

DEFAULT_FRACTION, DEFAULT_BATCH = 0.2, 16
DATASET = "torch.utils.data.dataset.Dataset"  # where torch defines Dataset


def _data(seed: int, x_shape: tuple, y_shape: tuple, labels: bool):
    """Features and labels with distinct values, so that swapped or shifted rows show."""
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(x_shape, generator=generator)
    if labels:
        return x, torch.randint(0, 5, y_shape, generator=generator)
    return x, torch.randn(y_shape, generator=generator)


# --- CustomDataset ----------------------------------------------------------


@pytest.mark.points(1)
def test_is_dataset(submission):
    x, y = _data(0, (5, 2), (5,), labels=True)
    classes = submission.probe(probes.dataset_type, x, y)
    if not isinstance(classes, list) or DATASET not in classes:
        own = classes[0].rsplit(".", 1)[-1] if isinstance(classes, list) and classes else "?"
        fail("CustomDataset(x, y) to be a torch.utils.data.Dataset", f"a plain {own}",
             "CustomDataset must inherit from torch.utils.data.Dataset: "
             "class CustomDataset(Dataset).")


def _length_mistake(got: int, x: torch.Tensor) -> str:
    n = len(x)
    if got in (n - 1, n + 1):
        return "Your length is off by one: len(dataset) is the number of samples, len(x)."
    if got == x.numel():
        return "You counted elements (x.numel()), not samples: return len(x)."
    if x.dim() > 1 and got == x.shape[1]:
        return "You returned the number of features (x.shape[1]); samples are rows: len(x)."
    return "Return the number of samples, len(x)."


@pytest.mark.points(1)
@pytest.mark.parametrize(("x_shape", "y_shape"), [((7, 3), (7,)), ((20, 1), (20, 1)),
                                                  ((12, 4), (12,))],
                         ids=["x(7,3)", "x(20,1)", "x(12,4)"])
def test_length(submission, x_shape, y_shape):
    x, y = _data(1, x_shape, y_shape, labels=len(y_shape) == 1)
    got = submission.probe(probes.length, x, y)
    if got != len(x):
        fail(f"len(dataset) = {len(x)} for x of shape {tuple(x_shape)}", show(got),
             _length_mistake(got, x))


def _same(got, expected: torch.Tensor) -> bool:
    return isinstance(got, TensorInfo) and tensors_close(got.data, expected, rtol=0, atol=0)


def _item_mistake(got, x: torch.Tensor, y: torch.Tensor, index: int) -> str:
    """The likely mistake behind a wrong dataset[index]."""
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        if _same(got, x[index]):
            return "You returned only x[i]: return the pair (x[i], y[i])."
        return "Return the pair (x[i], y[i]) as a tuple."
    if not all(isinstance(part, TensorInfo) for part in got):
        return ("Index the tensors and return the rows as they are: no .numpy(), .tolist() "
                "or .item().")
    first, second = got
    signatures = [
        (_same(first, y[index]) and _same(second, x[index]),
         "The pair is swapped: return (x[i], y[i]), features first."),
        (first.shape == tuple(x.shape),
         "You returned the whole tensors: index them, (self.x[index], self.y[index])."),
        (first.shape == (1, *x[index].shape),
         "You returned a slice x[i:i+1]; index with x[i] to get the row itself."),
        (any(_same(first, x[(index + step) % len(x)]) for step in (-1, 1)),
         "You returned a neighbouring row: dataset[i] is row i, no +1 or -1."),
    ]
    return next((mistake for seen, mistake in signatures if seen),
                "dataset[i] must be (x[i], y[i]).")


def _describe_item(item) -> str:
    if isinstance(item, (tuple, list)) and len(item) == 2:
        return f"({show(item[0])}, {show(item[1])})"
    return show(item)


@pytest.mark.points(2)
@pytest.mark.parametrize(("seed", "x_shape", "y_shape"), [(2, (10, 3), (10,)),
                                                          (3, (6, 1), (6, 1))],
                         ids=["x(10,3),labels(10,)", "x(6,1),y(6,1)"])
def test_getitem(submission, seed, x_shape, y_shape):
    x, y = _data(seed, x_shape, y_shape, labels=len(y_shape) == 1)
    indices = [0, 3, len(x) - 1, -1]  # the last row, and the contract's x[-1]
    got = submission.probe(probes.items, x, y, indices)
    got = expect_count(got, len(indices), what=f"dataset[i] for i in {indices}")
    expected = reference.CustomDataset(x, y)
    for index, item in zip(indices, got, strict=True):
        want_x, want_y = expected[index]
        if (isinstance(item, (tuple, list)) and len(item) == 2
                and _same(item[0], want_x) and _same(item[1], want_y)):
            continue
        shown = f"({number(want_x, rtol=0)}, {number(want_y, rtol=0)})"
        fail(f"dataset[{index}] = (x[{index}], y[{index}]) = {shown}",
             _describe_item(item), _item_mistake(item, x, y, index))


def _expect_on_device(got: dict, device: str) -> None:
    advice = ("Store x and y as they are: don't move them (.cpu(), .to(device)) or convert them "
              "(.numpy(), np.asarray) in the dataset.")
    if "error" in got:
        fail(f"CustomDataset over {device} tensors to work", got["error"], advice)
    item = got["item"]
    pair = isinstance(item, (tuple, list)) and len(item) == 2
    if not pair or not all(isinstance(part, TensorInfo) and part.device.startswith(device)
                           for part in item):
        fail(f"dataset[5] to be two tensors on {device}", _describe_item(item), advice)
    if got["len"] != 6 or (item[0].shape, item[1].shape) != ((3,), ()):
        fail("len 6 and dataset[5] of shapes (3,) and () for x (6, 3) and y (6,)",
             f"len {show(got['len'])} and {_describe_item(item)}",
             "The device is right, but the length or the item is wrong: see the length and "
             "getitem checks.")


@pytest.mark.points(1)
def test_meta_device(submission):
    _expect_on_device(submission.probe(probes.on_device, "meta"), "meta")


@pytest.mark.points(0)
def test_cuda_device(submission, cuda):
    _expect_on_device(submission.probe(probes.on_device, cuda), "cuda")


# --- make_loaders: what the loaders yield -----------------------------------


def _loaders(submission, n: int, kwargs: dict, epochs: int = 1) -> dict:
    report = submission.probe(probes.loaders, n, kwargs, epochs=epochs)
    _expect_two_loaders(report)
    for part in ("train", "val", "train_labels", "val_labels"):
        expect_count(report[part], epochs, what=f"{epochs} epoch(s) of the {part} loader")
    return report


def _expect_two_loaders(report: dict) -> None:
    if "bad_return" in report:
        fail("make_loaders to return (train_loader, val_loader)", report["bad_return"],
             "Return both DataLoaders as a tuple: return train_loader, val_loader.")


def _paired(report: dict) -> bool:
    """Whether every batch's labels name the same samples as its features (None: no labels)."""
    for part in ("train", "val"):
        for epoch, labelled in zip(report[part], report[f"{part}_labels"], strict=True):
            if any(labels is not None and labels != indices
                   for indices, labels in zip(epoch, labelled, strict=True)):
                return False
    return True


def _flat(batches: list) -> list:
    return [index for batch in batches for index in batch]


def _fraction(kwargs: dict) -> float:
    return kwargs.get("val_fraction", DEFAULT_FRACTION)


def _call(kwargs: dict) -> str:
    shown = ", ".join(f"{key}={value}" for key, value in kwargs.items())
    return f"make_loaders(dataset{', ' if shown else ''}{shown})"


def _size_mistake(n: int, fraction: float, got_train: int, got_val: int) -> str:
    n_val = round(n * fraction)
    if got_train >= n or got_val >= n:
        which = "training" if got_train >= n else "validation"
        return (f"The {which} loader goes over the whole dataset: build it on its part of the "
                "split, not on `dataset`.")
    if (got_train, got_val) == (n_val, n - n_val):
        return ("The sizes are swapped: return (train_loader, val_loader) in that order, and "
                "give validation round(len(dataset) * val_fraction) samples, training the rest.")
    if got_val == int(n * fraction) and got_train + got_val == n:
        return ("The validation size was rounded down (int(), or random_split's fractions, "
                "which floor each part): use round(len(dataset) * val_fraction) samples.")
    if got_train + got_val < n:
        return ("Samples are missing from an epoch: drop_last=True drops the last, smaller "
                "batch; leave it False.")
    return "Validation gets round(len(dataset) * val_fraction) samples, training the rest."


def _expect_sizes(n: int, kwargs: dict, train: list, val: list) -> None:
    n_val = round(n * _fraction(kwargs))
    if (len(train), len(val)) != (n - n_val, n_val):
        fail(f"{n - n_val} training and {n_val} validation samples per epoch from "
             f"{_call(kwargs)} on {n} samples", f"{len(train)} and {len(val)}",
             _size_mistake(n, _fraction(kwargs), len(train), len(val)))


SIZE_CASES = [(100, {"val_fraction": 0.2}), (33, {"val_fraction": 0.2}),
              (10, {"val_fraction": 0.27}), (57, {"val_fraction": 0.1}), (50, {})]


@pytest.mark.points(2)
@pytest.mark.parametrize(("n", "kwargs"), SIZE_CASES,
                         ids=["n=100,f=0.2", "n=33,f=0.2", "n=10,f=0.27", "n=57,f=0.1",
                              "n=50,defaults"])
def test_split_sizes(submission, n, kwargs):
    report = _loaders(submission, n, kwargs)
    _expect_sizes(n, kwargs, _flat(report["train"][0]), _flat(report["val"][0]))


def _expect_partition(n: int, train: list, val: list) -> None:
    """Disjoint, no repeats, and covering range(n)."""
    everything = set(range(n))
    overlap = sorted(set(train) & set(val))
    missing = sorted(everything - set(train) - set(val))
    if set(train) == everything or set(val) == everything:
        which = "training" if set(train) == everything else "validation"
        fail("disjoint training and validation samples", f"every sample in the {which} loader",
             f"The {which} loader goes over the whole dataset: build it on its part of the "
             "split, not on `dataset`.")
    if overlap:
        fail("disjoint training and validation samples",
             f"{len(overlap)} samples in both (e.g. indices {overlap[:3]})",
             "Take both parts from ONE shuffled order of the indices (random_split does), not "
             "from two separate shuffles.")
    for name, part in (("training", train), ("validation", val)):
        if len(part) != len(set(part)):
            fail(f"each {name} sample once per epoch", f"{len(part) - len(set(part))} repeats",
                 "Split the indices without replacement (a permutation, not random choices).")
    if missing:
        fail(f"all {n} samples in one of the two loaders",
             f"{len(missing)} in neither (e.g. indices {missing[:3]})",
             "The two parts must cover the dataset: training gets every sample validation "
             "does not (and drop_last=True would drop a smaller last batch).")


@pytest.mark.points(2)
@pytest.mark.parametrize(("n", "kwargs"), [(100, {"seed": 3}),
                                           (37, {"val_fraction": 0.3, "seed": 11})],
                         ids=["n=100", "n=37,f=0.3"])
def test_split_disjoint_and_covering(submission, n, kwargs):
    report = _loaders(submission, n, kwargs)
    if not _paired(report):
        fail("each label beside its own features", "labels from other samples",
             "Split the dataset itself (random_split or Subset), not x and y separately.")
    _expect_partition(n, _flat(report["train"][0]), _flat(report["val"][0]))


# --- make_loaders: the seed -------------------------------------------------


def _splits(submission, n: int, calls: list) -> list:
    report = submission.probe(probes.splits, n, calls)
    _expect_two_loaders(report)
    return expect_count(report["splits"], len(calls), what="one split per call")


REPRODUCIBLE_CASES = {
    "seed=7": [(0, {"seed": 7, "val_fraction": 0.25}), (1, {"seed": 7, "val_fraction": 0.25}),
               (12345, {"seed": 7, "val_fraction": 0.25})],
    "default seed": [(0, {}), (1, {}), (2, {"seed": 42})],
}


@pytest.mark.points(2)
@pytest.mark.parametrize("case", list(REPRODUCIBLE_CASES))
def test_split_reproducible(submission, case):
    calls = REPRODUCIBLE_CASES[case]
    # Validation sets only: they fix the split, and unlike the training loader's
    # samples per epoch they do not depend on its shuffling (think drop_last).
    vals = [val for _, val in _splits(submission, 40, calls)]
    if all(val == vals[0] for val in vals):
        return
    if case == "default seed" and vals[0] == vals[1]:
        fail("make_loaders(dataset) to split like make_loaders(dataset, seed=42)",
             "a different split", "The default seed is 42: def make_loaders(..., seed=42).")
    fail(f"the same split from {_call(calls[0][1])} whatever the global random state",
         "a different validation set when torch, NumPy and random were seeded differently "
         "before the call",
         "Your split follows the global random state: draw it from a generator seeded with "
         "seed, e.g. random_split(..., generator=torch.Generator().manual_seed(seed)).")


def _is_block(indices: list, n: int) -> bool:
    """Whether the indices are the first or the last len(indices) samples."""
    k = len(indices)
    return sorted(indices) in (list(range(k)), list(range(n - k, n)))


@pytest.mark.points(1)
def test_seed_changes_split(submission):
    n, seeds = 40, (0, 1, 2)
    found = _splits(submission, n, [(0, {"seed": seed}) for seed in seeds])
    vals = [val for _, val in found]
    if all(val == vals[0] for val in vals):
        mistake = ("The split is not random: you took the samples in order. Shuffle the "
                   "indices with the seed first (random_split does)." if _is_block(vals[0], n)
                   else "make_loaders ignores seed: seed the generator with the seed argument, "
                   "not a constant.")
        fail(f"different validation sets for seeds {seeds}", "the same one for all", mistake)
    for a in range(len(seeds)):
        for b in range(a + 1, len(seeds)):
            if vals[a] == vals[b]:
                fail(f"different validation sets for seeds {seeds[a]} and {seeds[b]}",
                     "the same one", "Seed the split's generator with the seed argument.")


# --- make_loaders: order and batches ----------------------------------------


@pytest.mark.points(1)
def test_train_shuffles(submission):
    report = _loaders(submission, 40, {"seed": 4, "batch_size": 8}, epochs=3)
    orders = [_flat(epoch) for epoch in report["train"]]
    if all(order == orders[0] for order in orders):
        fail("the training order to change between epochs", "the same order in all 3 epochs",
             "Create the training DataLoader with shuffle=True (seed 004's full code forgets "
             "it).")


@pytest.mark.points(1)
def test_val_not_shuffled(submission):
    report = _loaders(submission, 40, {"seed": 4, "batch_size": 8}, epochs=3)
    orders = [_flat(epoch) for epoch in report["val"]]
    if any(order != orders[0] for order in orders):
        fail("the validation loader in the same order every epoch",
             "a different order in each epoch",
             "The validation loader shuffles: create it with shuffle=False (the default).")


def _chunks(total: int, size: int) -> list:
    return [size] * (total // size) + ([total % size] if total % size else [])


def _show_batches(sizes: list) -> str:
    """Batch sizes for a hint; long runs of batches shortened."""
    if len(sizes) <= 8:
        return str(sizes)
    return f"[{', '.join(map(str, sizes[:3]))}, ..., {sizes[-1]}] ({len(sizes)} batches)"


def _batch_mistake(which: str, got: list, batch_size: int) -> str:
    if not got:
        return f"The {which} loader yields no batches: build it on its part of the split."
    size = got[0]
    if size == 1 and batch_size != 1:
        return (f"The {which} loader gives batches of 1: DataLoader's default batch_size is 1, "
                "pass batch_size=batch_size.")
    if got == _chunks(sum(got), size):
        seed_note = (" (seed 004 hard-codes batch_size=20 for validation)"
                     if size == 20 and which == "validation" else "")
        return (f"The {which} loader gives batches of {size}, not batch_size={batch_size}"
                f"{seed_note}.")
    return f"Create the {which} loader with batch_size=batch_size."


BATCH_CASES = [(90, {"val_fraction": 0.3, "batch_size": 16}),
               (120, {"val_fraction": 0.35, "batch_size": 12}), (50, {})]


@pytest.mark.points(2)
@pytest.mark.parametrize(("n", "kwargs"), BATCH_CASES,
                         ids=["n=90,bs=16", "n=120,bs=12", "n=50,defaults"])
def test_batch_sizes(submission, n, kwargs):
    report = _loaders(submission, n, kwargs)
    batch_size = kwargs.get("batch_size", DEFAULT_BATCH)
    n_val = round(n * _fraction(kwargs))
    for which, part, total in (("training", "train", n - n_val), ("validation", "val", n_val)):
        got, expected = [len(batch) for batch in report[part][0]], _chunks(total, batch_size)
        if got == expected:
            continue
        if got == expected[:-1] and total % batch_size:
            fail(f"{which} batches of sizes {expected}", _show_batches(got),
                 f"The {which} loader drops its last, smaller batch: leave drop_last=False.")
        if sum(got) != total and got == _chunks(sum(got), batch_size):
            continue  # right batch size, wrong split size: test_split_sizes says so
        fail(f"{which} batches of sizes {_show_batches(expected)} from {_call(kwargs)}",
             _show_batches(got),
             _batch_mistake(which, got, batch_size))


def _generic_advice(raised: Raised) -> str:
    if raised.type in ("AttributeError", "TypeError", "IndexError", "KeyError"):
        return ("make_loaders must split any map-style Dataset (here one whose items are plain "
                "ints): use random_split or Subset on the dataset itself, not dataset.x / "
                "dataset.y.")
    return ""


@pytest.mark.points(1)
def test_any_dataset(submission):
    """Seed 004's `data_set` of plain ints: no .x, .y or .tensors to reach into."""
    n, kwargs = 30, {"val_fraction": 0.2, "batch_size": 4, "seed": 5}
    got = submission.probe(probes.loaders, n, kwargs, generic=True, diagnose=_generic_advice)
    _expect_two_loaders(got)
    expect_count(got["train"], 1, what="one epoch of the train loader")
    expect_count(got["val"], 1, what="one epoch of the val loader")
    train, val = _flat(got["train"][0]), _flat(got["val"][0])
    _expect_sizes(n, kwargs, train, val)
    _expect_partition(n, train, val)
