"""Grader for exercise dataset: CustomDataset, a seeded train/validation split, DataLoaders."""

import itertools
import math

import pytest
import torch

from graders import (
    Raised,
    TensorInfo,
    answer_key,
    case_ids,
    expect_count,
    fail,
    first_match,
    number,
    show,
    tensors_close,
)
from graders.probes import dataset as probes

reference = answer_key("dataset")

DEFAULT_FRACTION, DEFAULT_BATCH = 0.2, 16
DATASET = "torch.utils.data.dataset.Dataset"  # where torch defines Dataset
FEATURES = 2  # the probes' IndexedPairs: x[i] = [i, -i], so x.numel() is 2 * len(x)

LENGTH_CASES = [((7, 3), (7,)), ((20, 1), (20, 1)), ((12, 4), (12,))]
ITEM_CASES = [(2, (10, 3), (10,)), (3, (6, 1), (6, 1))]
# (n, make_loaders' keyword arguments). Each plausible way to size the split gets some case
# wrong (tests/test_separating_inputs.py proves it): int() (33, 10, 57), len - 1 (33, 10),
# elements instead of rows, and math.ceil, int(x + 0.5) or rounding the training part
# (25 * 0.1 = 2.5, which round() takes to the even 2; 25 * 0.9 = 22.5 to 22).
SIZE_CASES = [(100, {"val_fraction": 0.2}), (33, {"val_fraction": 0.2}),
              (10, {"val_fraction": 0.27}), (57, {"val_fraction": 0.1}),
              (25, {"val_fraction": 0.1}), (50, {})]
PARTITION_CASES = [(100, {"seed": 3}), (37, {"val_fraction": 0.3, "seed": 11})]
BATCH_CASES = [(90, {"val_fraction": 0.3, "batch_size": 16}),
               (120, {"val_fraction": 0.35, "batch_size": 12}), (50, {})]
# Three seeds on 40 samples, each call after seeding the global RNGs with the seed itself:
# the split must be random (not the samples in order) and differ from seed to seed.
SEED_SPLITS = 40, [(seed, {"seed": seed}) for seed in (0, 1, 2)]
REPRODUCIBLE_CASES = {
    "seed7": [(0, {"seed": 7, "val_fraction": 0.25}), (1, {"seed": 7, "val_fraction": 0.25}),
              (12345, {"seed": 7, "val_fraction": 0.25})],
    "default_seed": [(0, {}), (1, {}), (2, {"seed": 42})],
}
# The core: the items of CustomDataset (its length once the items are right), and a split
# that is random, follows the seed, and has the right parts. Being a Dataset, the devices,
# the loaders' shuffling and batches, and working on any Dataset are graded once those are
# right: a dataset of zeros or a split that takes the samples in order earns nothing.
CORE = ("getitem", "length", "split_shuffled", "seed_changes_split", "split_reproducible",
        "split_sizes", "split_disjoint_and_covering")
ITEMS = ("getitem", "length")
SPLIT = ("split_sizes", "split_disjoint_and_covering")


def _data(seed: int, x_shape: tuple, y_shape: tuple, labels: bool):
    """Features and labels with distinct values, so that swapped or shifted rows show."""
    generator = torch.Generator()
    generator.manual_seed(seed)
    x = torch.randn(x_shape, generator=generator)
    if labels:
        return x, torch.randint(0, 5, y_shape, generator=generator)
    return x, torch.randn(y_shape, generator=generator)


# --- CustomDataset ----------------------------------------------------------


@pytest.mark.points(1, after=ITEMS)
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
    candidates = [
        (n - 1, "Your length is off by one: len(dataset) is the number of samples, len(x)."),
        (n + 1, "Your length is off by one: len(dataset) is the number of samples, len(x)."),
        (x.numel(), "You counted elements (x.numel()), not samples: return len(x)."),
        (lambda: x.shape[1], "You returned the number of features (x.shape[1]); samples are "
         "rows: len(x)."),
    ]
    found = first_match(candidates, got, lambda a, b: a == b, correct=n)
    return found.hint if found else "Return the number of samples, len(x)."


@pytest.mark.points(1, after="getitem")  # the length of a dataset whose items are right
@pytest.mark.parametrize(("x_shape", "y_shape"), LENGTH_CASES,
                         ids=case_ids(LENGTH_CASES, "x", "y"))
def test_length(submission, x_shape, y_shape):
    x, y = _data(1, x_shape, y_shape, labels=len(y_shape) == 1)
    got = submission.probe(probes.length, x, y)
    if got != len(x):
        fail(f"len(dataset) = {len(x)} for x of shape {tuple(x_shape)}", show(got),
             _length_mistake(got, x))


def _same(got, expected: torch.Tensor) -> bool:
    return isinstance(got, TensorInfo) and tensors_close(got.data, expected, rtol=0, atol=0)


def _matches(got, want) -> bool:
    """``got`` (from the child) holds exactly ``want``: a tensor, or a tuple of them."""
    if isinstance(want, tuple):
        return (isinstance(got, (tuple, list)) and len(got) == len(want)
                and all(_matches(part, wanted) for part, wanted in zip(got, want, strict=True)))
    return _same(got, want)


def _item_mistake(got, x: torch.Tensor, y: torch.Tensor, index: int) -> str:
    """The likely mistake behind a wrong dataset[index]: what each known slip returns."""
    pair = isinstance(got, (tuple, list)) and len(got) == 2
    if pair and not all(isinstance(part, TensorInfo) for part in got):
        return ("Index the tensors and return the rows as they are: no .numpy(), .tolist() "
                "or .item().")
    n = len(x)
    candidates = [
        (x[index], "You returned only x[i]: return the pair (x[i], y[i])."),
        ((y[index], x[index]), "The pair is swapped: return (x[i], y[i]), features first."),
        ((x, y), "You returned the whole tensors: index them, (self.x[index], self.y[index])."),
        ((x[index:index + 1], y[index:index + 1]),
         "You returned a slice x[i:i+1]; index with x[i] to get the row itself."),
        *[((x[(index + step) % n], y[(index + step) % n]),
           "You returned a neighbouring row: dataset[i] is row i, no +1 or -1.")
          for step in (1, -1)],
    ]
    found = first_match(candidates, got, _matches, correct=(x[index], y[index]))
    if found:
        return found.hint
    if pair:
        return "dataset[i] must be (x[i], y[i])."
    return "Return the pair (x[i], y[i]) as a tuple."


def _describe_item(item) -> str:
    if isinstance(item, (tuple, list)) and len(item) == 2:
        return f"({show(item[0])}, {show(item[1])})"
    return show(item)


@pytest.mark.points(2)
@pytest.mark.parametrize(("seed", "x_shape", "y_shape"), ITEM_CASES,
                         ids=case_ids(ITEM_CASES, "seed", "x", "y"))
def test_getitem(submission, seed, x_shape, y_shape):
    x, y = _data(seed, x_shape, y_shape, labels=len(y_shape) == 1)
    indices = [0, 3, len(x) - 1, -1]  # the last row, and the contract's x[-1]
    got = submission.probe(probes.items, x, y, indices)
    got = expect_count(got, len(indices), what=f"dataset[i] for i in {indices}")
    for index, item in zip(indices, got, strict=True):
        # The contract's pair, indexed here: the student kit has no reference Dataset to ask.
        want_x, want_y = x[index], y[index]
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
             f"Your length and items are right on the CPU but not on {device}: index and "
             "measure the tensors as they are, whatever their device.")


@pytest.mark.points(1, after=ITEMS)
def test_meta_device(submission):
    _expect_on_device(submission.probe(probes.on_device, "meta"), "meta")


@pytest.mark.points(0, after=ITEMS)
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


def _sizes_ids(cases: list) -> list:
    return case_ids([(n, _fraction(kwargs)) for n, kwargs in cases], "n", "f")


def _expected_sizes(n: int, fraction: float) -> tuple[int, int]:
    """The contract's (training, validation) sizes."""
    n_val = round(n * fraction)
    return n - n_val, n_val


def _rest(n: int, n_val: int) -> tuple[int, int]:
    return n - n_val, n_val


def _size_candidates(n: int, fraction: float, batch: int) -> list:
    """(training, validation) sizes each known slip gives, with its hint."""
    n_train, n_val = _expected_sizes(n, fraction)
    rule = "validation gets round(len(dataset) * val_fraction) samples, training the rest"
    whole = ("The {} loader goes over the whole dataset: build it on its part of the split, "
             "not on `dataset`.")
    down = ("The validation size was rounded down (int(), random_split's fractions, which "
            f"floor each part, or len(dataset) - 1 samples): {rule}.")
    # On halves these three agree: 25 * 0.1 = 2.5 goes up to 3, where round() gives the even 2.
    up = ("The validation size was rounded up (math.ceil, int(x + 0.5), or the rest of a "
          f"rounded or truncated training part): {rule}; Python's round() takes halves to the "
          "even neighbour.")
    return [
        ((n, n_val), whole.format("training")),
        ((n_train, n), whole.format("validation")),
        ((n_val, n_train), f"The sizes are swapped: return (train_loader, val_loader) in that "
         f"order; {rule}."),
        (_rest(n, int(n * fraction)), down),
        (_rest(n, round((n - 1) * fraction)), down),
        (_rest(n, math.ceil(n * fraction)), up),
        (_rest(n, math.floor(n * fraction + 0.5)), up),
        (_rest(n, n - round(n * (1 - fraction))), up),
        (_rest(n, n - int(n * (1 - fraction))), up),
        (_rest(n, round(n * FEATURES * fraction)), "You counted elements (x.numel()), not "
         f"samples: {rule}."),
        ((n_train // batch * batch, n_val), "Samples are missing from an epoch: drop_last=True "
         "drops the last, smaller batch; leave it False."),
    ]


def _size_mistake(n: int, kwargs: dict, got: tuple[int, int]) -> str:
    batch = kwargs.get("batch_size", DEFAULT_BATCH)
    candidates = _size_candidates(n, _fraction(kwargs), batch)
    found = first_match(candidates, got, lambda a, b: tuple(a) == tuple(b),
                        correct=_expected_sizes(n, _fraction(kwargs)))
    if found:
        return found.hint
    if sum(got) < n:
        return ("Samples are missing from an epoch: drop_last=True drops the last, smaller "
                "batch; leave it False.")
    return "Validation gets round(len(dataset) * val_fraction) samples, training the rest."


def _expect_sizes(n: int, kwargs: dict, train: list, val: list) -> None:
    n_train, n_val = _expected_sizes(n, _fraction(kwargs))
    if (len(train), len(val)) != (n_train, n_val):
        fail(f"{n_train} training and {n_val} validation samples per epoch from "
             f"{_call(kwargs)} on {n} samples", f"{len(train)} and {len(val)}",
             _size_mistake(n, kwargs, (len(train), len(val))))


@pytest.mark.points(2, after="split_shuffled")
@pytest.mark.parametrize(("n", "kwargs"), SIZE_CASES, ids=_sizes_ids(SIZE_CASES))
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
             "does not.")


# Disjoint and covering once the sizes are right: a loader that loses or repeats samples
# shows in the sizes first (drop_last, a loader over the whole dataset).
@pytest.mark.points(2, after="split_sizes")
@pytest.mark.parametrize(("n", "kwargs"), PARTITION_CASES, ids=_sizes_ids(PARTITION_CASES))
def test_split_disjoint_and_covering(submission, n, kwargs):
    report = _loaders(submission, n, kwargs)
    if not _paired(report):
        fail("each label beside its own features", "labels from other samples",
             "Split the dataset itself (random_split or Subset), not x and y separately.")
    _expect_partition(n, _flat(report["train"][0]), _flat(report["val"][0]))


# --- make_loaders: a random split that follows the seed ----------------------


def _splits(submission, n: int, calls: list) -> list:
    report = submission.probe(probes.splits, n, calls)
    _expect_two_loaders(report)
    return expect_count(report["splits"], len(calls), what="one split per call")


def _seed_splits(submission) -> list:
    """The validation sets for SEED_SPLITS's seeds: one probe for the two checks reading them."""
    n, calls = SEED_SPLITS
    report = submission.shared("seed_splits", lambda: submission.probe(probes.splits, n, calls))
    _expect_two_loaders(report)
    found = expect_count(report["splits"], len(calls), what="one split per call")
    return [val for _, val in found]


def _in_order(indices: list) -> int | None:
    """The step when the sorted indices are evenly spaced (a block, every k-th sample)."""
    ordered = sorted(indices)
    steps = {b - a for a, b in itertools.pairwise(ordered)}
    return steps.pop() if len(ordered) > 2 and len(steps) == 1 else None


@pytest.mark.points(1)
def test_split_shuffled(submission):
    n, calls = SEED_SPLITS
    for (_, kwargs), val in zip(calls, _seed_splits(submission), strict=True):
        wanted = f"a random validation set from {_call(kwargs)} on {n} samples"
        if len(val) < 3:  # 8 are due: too few to look random
            fail(wanted, f"{len(val)} validation sample(s)", "The validation loader yields "
                 "(almost) nothing: build it on the validation part of the split, "
                 "round(len(dataset) * val_fraction) samples.")
        if len(set(val)) >= n:
            fail(wanted, "every sample", "The validation loader goes over the whole dataset: "
                 "build it on its part of the split, not on `dataset`.")
        step = _in_order(val)
        if step is not None:
            taken = (f"the samples {min(val)} to {max(val)}" if step == 1
                     else f"every {step}th sample")
            fail(wanted, taken, "The split is not random: you took the samples in order. "
                 "Shuffle the indices with the seed first (random_split does).")


@pytest.mark.points(1, after="split_shuffled")
def test_seed_changes_split(submission):
    seeds = [kwargs["seed"] for _, kwargs in SEED_SPLITS[1]]
    vals = _seed_splits(submission)
    if all(val == vals[0] for val in vals):
        fail(f"different validation sets for seeds {tuple(seeds)}", "the same one for all",
             "make_loaders ignores seed: seed the generator with the seed argument, not a "
             "constant.")
    for a in range(len(seeds)):
        for b in range(a + 1, len(seeds)):
            if vals[a] == vals[b]:
                fail(f"different validation sets for seeds {seeds[a]} and {seeds[b]}",
                     "the same one", "Seed the split's generator with the seed argument.")


@pytest.mark.points(2, after="split_shuffled")
@pytest.mark.parametrize("case", list(REPRODUCIBLE_CASES))
def test_split_reproducible(submission, case):
    calls = REPRODUCIBLE_CASES[case]
    # Validation sets only: they fix the split, and unlike the training loader's
    # samples per epoch they do not depend on its shuffling (think drop_last).
    vals = [val for _, val in _splits(submission, 40, calls)]
    if all(val == vals[0] for val in vals):
        return
    if case == "default_seed" and vals[0] == vals[1]:
        fail("make_loaders(dataset) to split like make_loaders(dataset, seed=42)",
             "a different split", "The default seed is 42: def make_loaders(..., seed=42).")
    fail(f"the same split from {_call(calls[0][1])} whatever the global random state",
         "a different validation set when torch, NumPy and random were seeded differently "
         "before the call",
         "Your split follows the global random state: draw it from a generator seeded with "
         "seed, e.g. random_split(..., generator=torch.Generator().manual_seed(seed)).")


# --- make_loaders: order and batches ----------------------------------------


@pytest.mark.points(1, after=SPLIT)
def test_train_shuffles(submission):
    report = _loaders(submission, 40, {"seed": 4, "batch_size": 8}, epochs=3)
    orders = [_flat(epoch) for epoch in report["train"]]
    if all(order == orders[0] for order in orders):
        fail("the training order to change between epochs", "the same order in all 3 epochs",
             "Create the training DataLoader with shuffle=True (seed 004's full code forgets "
             "it).")


@pytest.mark.points(1, after=SPLIT)
def test_val_not_shuffled(submission):
    report = _loaders(submission, 40, {"seed": 4, "batch_size": 8}, epochs=3)
    orders = [_flat(epoch) for epoch in report["val"]]
    if any(order != orders[0] for order in orders):
        fail("the validation loader in the same order every epoch",
             "a different order in each epoch",
             "The validation loader shuffles: create it with shuffle=False (the default).")


def _chunks(total: int, size: int) -> list:
    """Batch sizes of a DataLoader over ``total`` samples (drop_last=False)."""
    return [size] * (total // size) + ([total % size] if total % size else [])


def _show_batches(sizes: list) -> str:
    """Batch sizes for a hint; long runs of batches shortened."""
    if len(sizes) <= 8:
        return str(sizes)
    return f"[{', '.join(map(str, sizes[:3]))}, ..., {sizes[-1]}] ({len(sizes)} batches)"


def _batch_mistake(which: str, got: list, total: int, batch_size: int) -> str:
    if not got:
        return f"The {which} loader yields no batches: build it on its part of the split."
    seed_note = " (seed 004 hard-codes batch_size=20 for validation)"
    candidates = [
        (_chunks(total, batch_size)[:-1] if total % batch_size else None,
         f"The {which} loader drops its last, smaller batch: leave drop_last=False."),
        (_chunks(total, 1), f"The {which} loader gives batches of 1: DataLoader's default "
         "batch_size is 1, pass batch_size=batch_size."),
        *[(_chunks(total, size), f"The {which} loader gives batches of {size}, not "
           f"batch_size={batch_size}{seed_note if size == 20 and which == 'validation' else ''}.")
          for size in sorted({got[0], DEFAULT_BATCH, 20} - {batch_size})],
    ]
    found = first_match(candidates, got, lambda a, b: a == b, correct=_chunks(total, batch_size))
    return found.hint if found else f"Create the {which} loader with batch_size=batch_size."


# Batches of the right sizes once the split's sizes are right.
@pytest.mark.points(2, after="split_sizes")
@pytest.mark.parametrize(("n", "kwargs"), BATCH_CASES,
                         ids=case_ids([(n, kwargs.get("batch_size", DEFAULT_BATCH))
                                       for n, kwargs in BATCH_CASES], "n", "bs"))
def test_batch_sizes(submission, n, kwargs):
    report = _loaders(submission, n, kwargs)
    batch_size = kwargs.get("batch_size", DEFAULT_BATCH)
    n_train, n_val = _expected_sizes(n, _fraction(kwargs))
    for which, part, total in (("training", "train", n_train), ("validation", "val", n_val)):
        got, expected = [len(batch) for batch in report[part][0]], _chunks(total, batch_size)
        if got == expected:
            continue
        dropped = total % batch_size and got == expected[:-1]
        if sum(got) != total and got == _chunks(sum(got), batch_size) and not dropped:
            continue  # right batches of a part of the wrong size: the sizes' checks say so
        fail(f"{which} batches of sizes {_show_batches(expected)} from {_call(kwargs)}",
             _show_batches(got), _batch_mistake(which, got, total, batch_size))


def _generic_advice(raised: Raised) -> str:
    if raised.type in ("AttributeError", "TypeError", "IndexError", "KeyError"):
        return ("make_loaders must split any map-style Dataset (here one whose items are plain "
                "ints): use random_split or Subset on the dataset itself, not dataset.x / "
                "dataset.y.")
    return ""


@pytest.mark.points(1, after=SPLIT)
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


# --- variants (hidden) ---------------------------------------------------------
# Last in the file: the sandbox seeds each probe by its place in the run, so a hidden probe
# run before a public one would change what unseeded student code draws there, and the
# student kit (without hidden checks) would show other numbers in its hints.


@pytest.mark.hidden
@pytest.mark.points(2, after=("split_shuffled", "split_reproducible", *SPLIT))
def test_variant_split(submission, variant):
    """A split of the student's own variant: its sizes, a partition, and the same whatever
    the global random state."""
    generator = torch.Generator().manual_seed(variant + 1)

    def draw(low: int, high: int) -> int:  # low..high inclusive
        return int(torch.randint(low, high + 1, (), generator=generator))

    n = draw(20, 90)
    n_val = draw(2, n // 2)
    # A fraction whose n * fraction is n_val +- 0.3: no draw lands on a half, where a
    # correct round() and a slip may agree or disagree by chance.
    offset = (float(torch.rand((), generator=generator, dtype=torch.float64)) - 0.5) * 0.6
    kwargs = {"val_fraction": (n_val + offset) / n, "batch_size": draw(2, 16),
              "seed": draw(0, 2**31)}
    (train, val), again = _splits(submission, n, [(0, kwargs), (draw(1, 999), kwargs)])
    _expect_sizes(n, kwargs, train, val)
    _expect_partition(n, train, val)
    if again[1] != val:
        fail(f"the same split from {_call(kwargs)} whatever the global random state",
             "a different validation set when the global random state differed",
             "Draw the split from a generator seeded with seed, e.g. random_split(..., "
             "generator=torch.Generator().manual_seed(seed)).")


@pytest.mark.hidden
@pytest.mark.points(1, after=ITEMS)
def test_variant_items(submission, variant):
    """Items and length of a dataset of the student's own variant, against the reference's."""
    generator = torch.Generator().manual_seed(variant)
    n, features, labels, seed = (int(torch.randint(low, high, (), generator=generator))
                                 for low, high in ((4, 17), (1, 5), (0, 2), (0, 2**31)))
    x, y = _data(seed, (n, features), (n,) if labels else (n, 1), labels=bool(labels))
    indices = torch.randint(-n, n, (3,), generator=generator).tolist()
    expected = reference.CustomDataset(x, y)
    got = expect_count(submission.probe(probes.items, x, y, indices), len(indices),
                       what=f"dataset[i] for i in {indices}")
    for index, item in zip(indices, got, strict=True):
        want = expected[index]
        if not _matches(item, tuple(want)):
            fail(f"dataset[{index}] = (x[{index}], y[{index}]) for x of shape {(n, features)}",
                 _describe_item(item), _item_mistake(item, x, y, index))
    length = submission.probe(probes.length, x, y)
    if length != len(expected):
        fail(f"len(dataset) = {len(expected)} for x of shape {(n, features)}", show(length),
             _length_mistake(length, x))
