"""Inputs that separate mistakes: every plausible way to get a size or count wrong is wrong on
some input the graders actually use.

For each size or count a contract computes (the split of ``dataset``'s ``make_loaders``,
``logistic``'s ``train_test_split``, the length of a ``CustomDataset``, the batches of a
loader, ``net``'s ``conv_output_size``), the variants students write (truncation vs
rounding, applied to the training or to the validation part, N vs N - 1, rows vs elements,
floor vs true division) are computed here by brute force over the graders' own cases, read
from the grader modules: each must differ from the contract, computed by the reference
solution, on at least one of them. A variant that agrees with the contract everywhere would
earn full marks for a wrong formula; the fix is a case in the grader, not a weaker test.
Forms that are the contract's formula written another way are asserted equal instead. No
grading runs: this is arithmetic.
"""

from __future__ import annotations

import importlib
import inspect
import math
from collections.abc import Callable

import pytest

dataset_grader = importlib.import_module("graders.test_dataset")
net_grader = importlib.import_module("graders.test_net")
digits_grader = importlib.import_module("graders.test_digits")
logistic_grader = importlib.import_module("graders.test_logistic")
reference_dataset = importlib.import_module("solutions.dataset")
reference_digits = importlib.import_module("solutions.digits")
reference_logistic = importlib.import_module("solutions.logistic")
reference_net = importlib.import_module("solutions.net")


# --- dataset: make_loaders' (training, validation) sizes ------------------------------------


class _Numbers:
    """A map-style dataset of n plain ints, enough for the reference's random_split."""

    def __init__(self, n: int):
        self.n = n

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, index: int) -> int:
        return index


def _reference_split(n: int, fraction: float) -> tuple[int, int]:
    """The contract, as the reference solution computes it: (training, validation) sizes."""
    train, val = reference_dataset.make_loaders(_Numbers(n), val_fraction=fraction)
    return len(train.dataset), len(val.dataset)


def _split_cases() -> list[tuple[int, float]]:
    """(n, val_fraction) of every case of the dataset grader's ``split_sizes`` check."""
    return [(n, kwargs.get("val_fraction", dataset_grader.DEFAULT_FRACTION))
            for n, kwargs in dataset_grader.SIZE_CASES]


def _rest(n: int, n_val: int) -> tuple[int, int]:
    return n - n_val, n_val


def _train_first(n: int, n_train: int) -> tuple[int, int]:
    return n_train, n - n_train


def _random_split_fractions(n: int, fraction: float) -> tuple[int, int]:
    """torch's random_split(dataset, [1 - f, f]): floor each part, the remainder to the first."""
    parts = [math.floor(n * (1 - fraction)), math.floor(n * fraction)]
    for index in range(n - sum(parts)):
        parts[index % 2] += 1
    return parts[0], parts[1]


FEATURES = dataset_grader.FEATURES  # the probes' samples have this many features
SPLIT_VARIANTS: dict[str, Callable[[int, float], tuple[int, int]]] = {
    "int() on the validation part": lambda n, f: _rest(n, int(n * f)),
    "math.ceil on the validation part": lambda n, f: _rest(n, math.ceil(n * f)),
    "halves rounded up on the validation part": lambda n, f: _rest(n, math.floor(n * f + 0.5)),
    "round() on the training part": lambda n, f: _train_first(n, round(n * (1 - f))),
    "int() on the training part": lambda n, f: _train_first(n, int(n * (1 - f))),
    "math.ceil on the training part": lambda n, f: _train_first(n, math.ceil(n * (1 - f))),
    "N - 1 samples, rounded": lambda n, f: _rest(n, round((n - 1) * f)),
    "N - 1 samples, truncated": lambda n, f: _rest(n, int((n - 1) * f)),
    "N - 1 samples in all": lambda n, f: (n - 1 - round(n * f), round(n * f)),
    "elements, not rows": lambda n, f: _rest(n, round(n * FEATURES * f)),
    "floor division by 1 / f": lambda n, f: _rest(n, n // round(1 / f)),
    "floor division of the product in percent": lambda n, f: _rest(n, n * round(f * 100) // 100),
    "random_split's fractions": _random_split_fractions,
    "the sizes swapped": lambda n, f: _rest(n, round(n * f))[::-1],
}


def test_the_dataset_contract_is_round_on_the_validation_part():
    """The formula the variants are measured against is the reference's."""
    for n, fraction in _split_cases():
        assert _reference_split(n, fraction) == _rest(n, round(n * fraction))


@pytest.mark.parametrize("variant", list(SPLIT_VARIANTS))
def test_dataset_split_sizes_separate(variant):
    """Each wrong way to size the split gets some case of ``split_sizes`` wrong."""
    wrong = SPLIT_VARIANTS[variant]
    cases = _split_cases()
    differ = [(n, f) for n, f in cases if wrong(n, f) != _reference_split(n, f)]
    assert differ, f"{variant!r} agrees with the contract on every split_sizes case {cases}"


# --- dataset: len(CustomDataset) ------------------------------------------------------------

class _Shaped:
    """Stands for a tensor of a shape: ``len`` is its number of rows."""

    def __init__(self, shape: tuple):
        self.shape = shape

    def __len__(self) -> int:
        return self.shape[0]


LENGTH_VARIANTS: dict[str, Callable[[tuple], int]] = {
    "N - 1": lambda shape: shape[0] - 1,
    "N + 1": lambda shape: shape[0] + 1,
    "elements, not rows": math.prod,
    "features, not rows": lambda shape: shape[1],
}


@pytest.mark.parametrize("variant", list(LENGTH_VARIANTS))
def test_dataset_length_separates(variant):
    shapes = [x_shape for x_shape, _ in dataset_grader.LENGTH_CASES]
    expected = {shape: len(reference_dataset.CustomDataset(_Shaped(shape), _Shaped(shape)))
                for shape in shapes}
    assert any(LENGTH_VARIANTS[variant](shape) != expected[shape] for shape in shapes), (
        f"{variant!r} agrees with len(x) on every length case {shapes}")



# --- dataset: the batches of the loaders ----------------------------------------------------


def _reference_batches(n: int, kwargs: dict) -> list[list[int]]:
    train, val = reference_dataset.make_loaders(_Numbers(n), **kwargs)
    return [[len(batch) for batch in loader] for loader in (train, val)]


def _batches(total: int, size: int, drop_last: bool = False) -> list[int]:
    sizes = [size] * (total // size)
    return sizes if drop_last or not total % size else [*sizes, total % size]


BATCH_VARIANTS: dict[str, Callable[[tuple[int, int], int], list[list[int]]]] = {
    "drop_last=True on the training loader": lambda parts, size: [
        _batches(parts[0], size, drop_last=True), _batches(parts[1], size)],
    "drop_last=True on the validation loader": lambda parts, size: [
        _batches(parts[0], size), _batches(parts[1], size, drop_last=True)],
    "DataLoader's default batch_size=1": lambda parts, size: [_batches(p, 1) for p in parts],
    "the default batch_size whatever the argument": lambda parts, size: [
        _batches(p, dataset_grader.DEFAULT_BATCH) for p in parts],
    "batch_size=20 for validation (seed 004)": lambda parts, size: [
        _batches(parts[0], size), _batches(parts[1], 20)],
}


@pytest.mark.parametrize("variant", list(BATCH_VARIANTS))
def test_dataset_batch_sizes_separate(variant):
    cases = dataset_grader.BATCH_CASES
    differ = []
    for n, kwargs in cases:
        fraction = kwargs.get("val_fraction", dataset_grader.DEFAULT_FRACTION)
        size = kwargs.get("batch_size", dataset_grader.DEFAULT_BATCH)
        parts = _reference_split(n, fraction)
        if BATCH_VARIANTS[variant](parts, size) != _reference_batches(n, kwargs):
            differ.append(n)
    assert differ, f"{variant!r} agrees with the contract on every batch_sizes case {cases}"


# --- logistic: train_test_split's test size -------------------------------------------------


def _logistic_cases() -> list[float]:
    """The test_size of every split call of the logistic grader (the default when not given)."""
    default = inspect.signature(reference_logistic.load_breast_cancer_split).parameters
    return [call.get("test_size", default["test_size"].default)
            for call in logistic_grader.SPLIT_CALLS]


def _reference_test_size(fraction: float) -> int:
    """What the reference's train_test_split gives the test part of the grader's samples."""
    from sklearn.model_selection import train_test_split

    _, test = train_test_split(list(range(logistic_grader.SAMPLES)), test_size=fraction,
                               random_state=0)
    return len(test)


LOGISTIC_VARIANTS: dict[str, Callable[[int, float], int]] = {
    "round() on the test part": lambda n, f: round(n * f),
    "int() on the test part": lambda n, f: int(n * f),
    "halves rounded up on the test part": lambda n, f: math.floor(n * f + 0.5),
    "round() on the training part": lambda n, f: n - round(n * (1 - f)),
    "math.ceil on the training part": lambda n, f: n - math.ceil(n * (1 - f)),
    "N - 1 samples": lambda n, f: math.ceil((n - 1) * f),
    "N - 1 samples, rounded": lambda n, f: round((n - 1) * f),
    "elements, not rows": lambda n, f: math.ceil(n * logistic_grader.FEATURES * f),
    "floor division by 1 / f": lambda n, f: n // round(1 / f),
}
# The same formula written another way: sklearn itself sizes the training part with floor
# and gives the test part the rest, which is ceil on the test part. Asserted equal below.
LOGISTIC_EQUIVALENT: dict[str, Callable[[int, float], int]] = {
    "int() on the training part": lambda n, f: n - int(n * (1 - f)),
    "math.ceil on the test part": lambda n, f: math.ceil(n * f),
}


@pytest.mark.parametrize("variant", list(LOGISTIC_VARIANTS))
def test_logistic_split_sizes_separate(variant):
    n, cases = logistic_grader.SAMPLES, _logistic_cases()
    differ = [f for f in cases if LOGISTIC_VARIANTS[variant](n, f) != _reference_test_size(f)]
    assert differ, f"{variant!r} agrees with train_test_split on every case {cases}"


@pytest.mark.parametrize("variant", list(LOGISTIC_EQUIVALENT))
def test_logistic_equivalent_forms_agree(variant):
    n = logistic_grader.SAMPLES
    assert all(LOGISTIC_EQUIVALENT[variant](n, f) == _reference_test_size(f)
               for f in _logistic_cases())


# --- digits: the split it asks make_loaders for ---------------------------------------------


def test_digits_sizes_are_the_dataset_contracts():
    """digits calls make_loaders (graded in dataset, where the variants are separated): its
    expected sizes must be what the reference's make_loaders gives, not a formula of its own."""
    split = _reference_split(digits_grader.SAMPLES, reference_digits.VAL_FRACTION)
    assert split == (digits_grader.SAMPLES - digits_grader.VAL_SAMPLES,
                     digits_grader.VAL_SAMPLES)


# --- net: conv_output_size ------------------------------------------------------------------


def _conv_arguments(case: tuple) -> tuple[int, int, int, int]:
    return (*case, *(1, 0)[len(case) - 2:])  # the defaults: stride 1, padding 0


CONV_VARIANTS: dict[str, Callable[[int, int, int, int], float]] = {
    "true division": lambda n, k, s, p: (n + 2 * p - k) / s + 1,
    "true division, rounded": lambda n, k, s, p: round((n + 2 * p - k) / s) + 1,
    "rounded up": lambda n, k, s, p: math.ceil((n + 2 * p - k) / s) + 1,
    "no stride": lambda n, k, s, p: n + 2 * p - k + 1,
    "padding on one side": lambda n, k, s, p: (n + p - k) // s + 1,
    "no padding": lambda n, k, s, p: (n - k) // s + 1,
    "no + 1 (N - 1)": lambda n, k, s, p: (n + 2 * p - k) // s,
    "the + 1 inside the division": lambda n, k, s, p: (n + 2 * p - k + 1) // s,
}
# Truncation equals floor for the contract's non-negative sizes: the same formula.
CONV_EQUIVALENT = {"int() of the true division": lambda n, k, s, p: int((n + 2 * p - k) / s) + 1}


@pytest.mark.parametrize("variant", list(CONV_VARIANTS))
def test_net_conv_output_size_separates(variant):
    cases = net_grader._size_cases()
    differ = [case for case in cases if CONV_VARIANTS[variant](*_conv_arguments(case))
              != reference_net.conv_output_size(*case)]
    assert differ, f"{variant!r} agrees with conv_output_size on every case of the grader"


def test_net_truncation_is_the_contract():
    assert all(CONV_EQUIVALENT["int() of the true division"](*_conv_arguments(case))
               == reference_net.conv_output_size(*case) for case in net_grader._size_cases())
