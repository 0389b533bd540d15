"""Grader for exercise device: get_default_device, to_device and DeviceDataLoader.

Every move happens in the child, to the ``meta`` device (no data, so no GPU
needed) or to ``cpu`` where values are compared; the CUDA checks are worth 0
points and run only where there is a GPU.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
import torch
from torch.utils.data import DataLoader, TensorDataset

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
)
from graders.probes import device as probes

reference = answer_key("device")

META = "meta"
# (seed, samples, batch size): several batches each, the last one short in some.
LOADER_CASES = [(0, 10, 4), (1, 9, 3), (2, 5, 2)]
ORDER_CASES = [(3, 10, 4), (4, 8, 2)]
LEN_CASES = [(10, 4), (12, 5)]
# The core: the device get_default_device picks, to_device on tensors, containers and
# modules, and the batches a DeviceDataLoader yields. The properties around them (a
# torch.device rather than a string, other values unchanged, laziness, a second epoch,
# len, dict batches) are graded once their core is right: moving nothing earns nothing.
TO_DEVICE = ("to_device_tensors", "to_device_sequences", "to_device_dicts")
LOADER = ("loader_moves_every_batch", "loader_order_and_values")
CORE = ("default_device", *TO_DEVICE, "to_device_module", *LOADER)
NOT_MOVABLE = ("int", "float", "str", "NoneType", "bool")
# Where torch defines what the probes' class lists are checked for.
TORCH_DEVICE, MODULE = "torch.device", "torch.nn.modules.module.Module"


# --- data ---------------------------------------------------------------------


def _data(seed: int, samples: int) -> tuple[torch.Tensor, torch.Tensor]:
    """MNIST-like images (N, 1, 4, 4) float32 and class labels (N,) int64."""
    generator = torch.Generator().manual_seed(seed)
    images = torch.randn(samples, 1, 4, 4, generator=generator)
    labels = torch.randint(0, 10, (samples,), generator=generator)
    return images, labels


def _batches(images: torch.Tensor, labels: torch.Tensor, size: int) -> list:
    """The wrapped loader's batches, in order: what a DeviceDataLoader yields on the CPU,
    where moving copies nothing (read here, not from a reference object the student kit
    cannot hold)."""
    return list(DataLoader(TensorDataset(images, labels), batch_size=size, shuffle=False))


def _tensors(seed: int) -> dict[str, torch.Tensor]:
    generator = torch.Generator().manual_seed(seed)
    return {
        "x": torch.randn(3, 4, generator=generator),
        "y": torch.randint(0, 10, (5,), generator=generator),
        "z": torch.randn(2, 1, 3, 3, generator=generator, dtype=torch.float64),
        "w": torch.randint(0, 255, (2, 3, 2, 2), generator=generator, dtype=torch.uint8),
        "mask": torch.rand(4, generator=generator) > 0.5,
    }


# --- comparing what came back with what went in --------------------------------


@dataclass(frozen=True)
class Problem:
    """The first place where a moved structure differs from the one sent."""

    # device, dtype, shape, values, not_tensor, tuple_as_list, type, length, keys, changed
    kind: str
    path: str
    expected: str
    got: str


def _compare(got: Any, want: Any, device: str, path: str = "",
             strict_sequences: bool = True, contents: bool = True) -> Problem | None:
    """Compare ``got`` (decoded) with ``want`` (what was sent, on the CPU) moved to ``device``.

    ``strict_sequences=False`` accepts a list for a tuple (a check of something else than
    to_device's containers); ``contents=False`` compares where the tensors are and their
    dtypes only, not their shapes and values (which batch it is: another check's)."""
    if isinstance(want, torch.Tensor):
        return _compare_tensor(got, want, device, path, contents)
    if isinstance(want, (list, tuple)):
        return _compare_sequence(got, want, device, path, strict_sequences, contents)
    if isinstance(want, dict):
        return _compare_dict(got, want, device, path, strict_sequences, contents)
    if type(got) is not type(want) or got != want:
        return Problem("changed", path, f"{want!r} unchanged", show(got))
    return None


def _compare_dict(got, want, device, path, strict, contents=True) -> Problem | None:
    if type(got) is not dict:
        return Problem("type", path, "a dict", show(got))
    if set(got) != set(want):
        return Problem("keys", path, f"a dict with keys {sorted(map(str, want))}",
                       f"keys {sorted(map(str, got))}")
    for key, value in want.items():
        problem = _compare(got[key], value, device, f"{path}[{key!r}]", strict, contents)
        if problem:
            return problem
    return None


def _compare_sequence(got, want, device, path, strict, contents=True) -> Problem | None:
    kind = type(want).__name__
    if not isinstance(got, (list, tuple)):
        return Problem("type", path, f"a {kind}", show(got))
    if strict and type(got) is not type(want):
        wrong = "tuple_as_list" if isinstance(want, tuple) else "type"
        return Problem(wrong, path, f"a {kind}", f"a {type(got).__name__}")
    if len(got) != len(want):
        return Problem("length", path, f"a {kind} of length {len(want)}", f"length {len(got)}")
    for index, (item, wanted) in enumerate(zip(got, want, strict=True)):
        problem = _compare(item, wanted, device, f"{path}[{index}]", strict, contents)
        if problem:
            return problem
    return None


def _compare_tensor(got, want: torch.Tensor, device: str, path: str,
                    contents: bool = True) -> Problem | None:
    wanted = f"a tensor of shape {tuple(want.shape)}" if contents else "a tensor"
    wanted += f" on {device}"
    if not isinstance(got, TensorInfo):
        return Problem("not_tensor", path, wanted, show(got))
    if got.device.split(":")[0] != device:
        return Problem("device", path, wanted, str(got))
    if contents and tuple(got.shape) != tuple(want.shape):
        return Problem("shape", path, wanted, str(got))
    if got.dtype != str(want.dtype):
        return Problem("dtype", path, f"dtype {want.dtype}", got.dtype)
    if contents and got.data is not None and not torch.equal(got.data, want):
        return Problem("values", path, "the values of the tensor sent, unchanged",
                       number(got.data, digits=6))
    return None


# --- hints ----------------------------------------------------------------------

MOVED_COPY = "Tensor.to returns a new, moved tensor and leaves the original where it was"
MOVE_RESULT = (f"{MOVED_COPY}: return data.to(device) (a .to call whose result is dropped "
               "moves nothing).")
ZERO_DIM = ("A 0-d tensor (a scalar: a loss, a label) is a tensor like any other: move it with "
            ".to(device) too, whatever its number of dimensions.")
DTYPE = ("Only the device may change: move with .to(device) only, no dtype or .float() "
         "(float labels break F.cross_entropy).")


def _to_device_hint(problem: Problem) -> str:
    """The likely mistake behind a wrong to_device result."""
    if problem.kind == "device" and "on cpu" in problem.got:
        return ZERO_DIM if problem.expected.startswith("a tensor of shape () ") else MOVE_RESULT
    if problem.kind == "dtype":
        return DTYPE
    if problem.kind == "values":
        return ("The values changed: return the tensor itself moved, data.to(device), not a "
                "new tensor (torch.zeros_like, torch.empty, torch.tensor(...)) of its shape.")
    if problem.kind == "tuple_as_list":
        return ("A tuple came back as a list: return a tuple for a tuple, e.g. "
                "tuple(to_device(x, device) for x in data) (seed 002's version always builds "
                "a list).")
    if problem.kind == "changed":
        return ("Values that are not tensors, modules, lists, tuples or dicts must come back "
                "unchanged: return them as they are.")
    if problem.kind == "keys" or problem.expected == "a dict":
        return "Return a dict with the same keys, each value passed through to_device."
    return "Follow the structure of data: the same containers, with every tensor moved."


def _crash_advice(outcome: Raised) -> str:
    """The likely mistake behind a crash in to_device, read from its message."""
    match = re.search(r"'(\w+)' object has no attribute '(to|cuda)'", outcome.message)
    if match and match.group(1) == "dict":
        return ("to_device does not handle dicts: return "
                "{key: to_device(value, device) for key, value in data.items()}.")
    if match and match.group(1) in NOT_MOVABLE:
        kind = match.group(1)
        article = "an" if kind[0] in "aeiouNI" else "a"
        return (f"to_device called .to() on {article} {kind}: return values that "
                "are not tensors, modules, lists, tuples or dicts unchanged.")
    return ""


def _run(submission, probe, *args, **kwargs) -> Any:
    """Run a probe; a crash fails the check with a diagnosis of its message."""
    return submission.probe(probe, *args, diagnose=_crash_advice, **kwargs)


def _expect_moved(submission, cases: list[tuple[str, Any]], device: str = META,
                  strict_sequences: bool = True) -> None:
    """to_device on each case, in one child; the first difference fails the check."""
    got = _run(submission, probes.move_each, [data for _, data in cases], device)
    got = expect_count(got, len(cases), what="to_device on each case")
    for (label, data), result in zip(cases, got, strict=True):
        problem = _compare(result, data, device, strict_sequences=strict_sequences)
        if problem:
            where = f"at result{problem.path} of" if problem.path else "from"
            fail(f"{problem.expected} {where} to_device({label}, {device!r})", problem.got,
                 _to_device_hint(problem))


# --- get_default_device ----------------------------------------------------------

# What get_default_device picks (with CUDA, without CUDA), for the likely slip behind a
# wrong pair; the right pair is ("cuda", "cpu").
WRONG_PICKS = [
    (("cuda", "cuda"), "Don't assume a GPU: check torch.cuda.is_available() and fall back to "
     "torch.device('cpu')."),
    (("cpu", "cpu"), "get_default_device always picks the CPU: return torch.device('cuda') "
     "when torch.cuda.is_available() is True (a machine without a GPU hides this)."),
    (("cpu", "cuda"), "The branches are swapped: the GPU when torch.cuda.is_available() is "
     "True, else the CPU."),
]


def _kind(report: dict) -> str | None:
    """The device type get_default_device picked: of a torch.device, or of a string naming a
    device (the type is graded by ``default_device_returns_device``)."""
    if TORCH_DEVICE in report["classes"]:
        return report["type"]
    try:
        return torch.device(report["text"]).type if report["text"] else None
    except (RuntimeError, TypeError, ValueError):
        return None


def _picks(submission) -> dict[bool, dict]:
    """get_default_device with CUDA said to be available, and not (one probe each)."""
    return {available: submission.shared(("default_device", available), lambda a=available:
                                         submission.probe(probes.default_device_when, a))
            for available in (True, False)}


@pytest.mark.points(1)
def test_default_device(submission):
    reports = _picks(submission)
    got = (_kind(reports[True]), _kind(reports[False]))
    if got != ("cuda", "cpu"):
        found = first_match(WRONG_PICKS, got, lambda a, b: a == b, correct=("cuda", "cpu"))
        fail("the GPU ('cuda') when torch.cuda.is_available() is True, else the CPU ('cpu')",
             f"{reports[True]['value']} with a GPU and {reports[False]['value']} without",
             found.hint if found else "Return torch.device('cuda') if "
             "torch.cuda.is_available() else torch.device('cpu').")


@pytest.mark.points(1, after="default_device")
def test_default_device_returns_device(submission):
    for available, report in _picks(submission).items():
        wanted = "cuda" if available else "cpu"
        if TORCH_DEVICE not in report["classes"]:
            fail(f"torch.device({wanted!r}) when torch.cuda.is_available() is {available}",
                 report["value"], f"Return a torch.device, not a string: "
                 f"torch.device({wanted!r}) (seed 004's 'cuda' if torch.cuda.is_available() "
                 "else 'cpu' gives a string).")


# --- to_device ------------------------------------------------------------------


@pytest.mark.points(2)
def test_to_device_tensors(submission):
    tensors = [(f"{name} ({t.dtype})", t) for name, t in _tensors(0).items()]
    _expect_moved(submission, tensors)  # on meta: moved, same shape and dtype
    _expect_moved(submission, tensors, device="cpu")  # on the CPU: the same values


@pytest.mark.points(2, after="to_device_tensors")
def test_to_device_sequences(submission):
    t = _tensors(1)
    x, y, z = t["x"], t["y"], t["z"]
    _expect_moved(submission, [
        ("[x, y]", [x, y]),
        ("(x, y)", (x, y)),
        ("[x, (y, [z])]", [x, (y, [z])]),
        ("((x,), [y, (z, x)])", ((x,), [y, (z, x)])),
    ])


@pytest.mark.points(2, after="to_device_tensors")
def test_to_device_dicts(submission):
    # A tuple inside that comes back a list is to_device_sequences' business, not this one's.
    t = _tensors(2)
    _expect_moved(submission, [
        ("{'image': x, 'label': y}", {"image": t["x"], "label": t["y"]}),
        ("{0: z, 'parts': [x, (w,)], 'extra': {'mask': mask}}",
         {0: t["z"], "parts": [t["x"], (t["w"],)], "extra": {"mask": t["mask"]}}),
    ], strict_sequences=False)


@pytest.mark.points(1, after=TO_DEVICE)
def test_to_device_other_values(submission):
    t = _tensors(3)
    _expect_moved(submission, [
        ("3", 3), ("2.5", 2.5), ("'cat'", "cat"), ("None", None), ("True", True),
        ("(x, 3, 'cat', None)", (t["x"], 3, "cat", None)),
        ("{'image': x, 'path': ['a.png', 'b.png'], 'index': 7}",
         {"image": t["x"], "path": ["a.png", "b.png"], "index": 7}),
    ])


def _returned(classes: list) -> str:
    """What a value of these classes is, for a hint: "None", or "a Sequential"."""
    own = str(classes[0]) if classes else "?"
    return "None" if own == "builtins.NoneType" else f"a {own.rsplit('.', 1)[-1]}"


def _expect_module_moved(got: dict, device: str) -> None:
    """The module came back, with the network's parameters on ``device``, values kept."""
    if MODULE not in got["classes"]:
        returned = _returned(got["classes"])
        fail("the module back from to_device(model, device)", returned,
             f"to_device(model) returned {returned}: return the module "
             "(Module.to moves it in place and returns it, so return data.to(device) works).")
    params, before = got["params"], got["original_params"]
    if set(params) != set(before):
        fail(f"the model's parameters {sorted(before)}", f"{sorted(params)}",
             "Return the model you were given, moved: not a new or empty module.")
    for name, wanted in before.items():  # the grader's own network: plain CPU tensors
        problem = _compare_tensor(params[name], wanted.data, device, "")
        if problem and problem.kind == "device":
            fail(f"parameter {name} of the returned module on {device}", problem.got,
                 "The module was not moved: to_device must move modules too "
                 "(nn.Module has .to(device), as seed 002's to_device(model, device) relies on).")
        if problem:
            fail(f"parameter {name} of the returned module: {problem.expected}", problem.got,
                 "Move the module with .to(device): its parameters keep their values "
                 "(no new or re-initialised parameters, no dtype change).")


@pytest.mark.points(2)
def test_to_device_module(submission):
    _expect_module_moved(_run(submission, probes.move_module, META), META)
    _expect_module_moved(_run(submission, probes.move_module, "cpu"), "cpu")


# --- DeviceDataLoader --------------------------------------------------------------


def _expect_count(batches: list, expected: int, what: str = "the pass") -> None:
    count = len(batches)
    if count > expected:
        fail(f"{expected} batches from {what}", f"more than {expected}",
             "Stop when the wrapped loader is exhausted: loop over self.dl and yield each batch.")
    if count < expected:
        fail(f"{expected} batches from {what}", f"{count}",
             "Put the yield inside the for loop over self.dl so that every batch is yielded, "
             "not just one.")


def _loader_hint(problem: Problem) -> str:
    """The likely mistake behind a wrongly moved batch."""
    if problem.kind == "device" and "on cpu" in problem.got:
        if problem.path.endswith("[1]") or "label" in problem.path:
            return ("Move every tensor of the batch, labels included: yield "
                    "to_device(batch, self.device) rather than moving only the images.")
        return ("Yield what to_device(batch, self.device) returns, and make to_device return "
                f"the moved tensors ({MOVED_COPY}).")
    if problem.kind == "dtype":
        return DTYPE
    if problem.kind in ("shape", "values"):
        return ("Batches come out of order or repeated: loop over self.dl once (for batch in "
                "self.dl) and yield each moved batch; next(iter(self.dl)) restarts the loader.")
    if problem.expected == "a dict":
        return ("Yield to_device(batch, self.device) for the whole batch: unpacking it into "
                "(images, labels) only works for batches of two.")
    return "Yield each batch of the wrapped loader, in order, passed through to_device."


def _expect_batches(got: list, expected: list, device: str, what: str,
                    contents: bool = True) -> None:
    _expect_count(got, len(expected), what)
    for index, (batch, wanted) in enumerate(zip(got, expected, strict=True)):
        problem = _compare(batch, wanted, device, strict_sequences=False, contents=contents)
        if problem:
            name = {"[0]": " (images)", "[1]": " (labels)"}.get(problem.path, problem.path)
            fail(f"{problem.expected} in batch {index}{name} of {what}", problem.got,
                 _loader_hint(problem))


def _same_values(got: Any, wanted: Any) -> bool:
    return _compare(got, wanted, "cpu", strict_sequences=False) is None


@pytest.mark.points(1, after="to_device_tensors")
@pytest.mark.parametrize(("seed", "samples", "size"), LOADER_CASES,
                         ids=case_ids(LOADER_CASES, "seed", "samples", "batch"))
def test_loader_moves_every_batch(submission, seed, samples, size):
    """As many batches as the loader, every tensor moved (on meta), and each one of the
    wrapped loader's batches (on the CPU): which one, in what order, is loader_order_and_values'."""
    images, labels = _data(seed, samples)
    expected = _batches(images, labels, size)
    got = _run(submission, probes.loader_batches, images, labels, size, device=META)[0]
    _expect_batches(got, expected, META, "the DeviceDataLoader", contents=False)
    on_cpu = _run(submission, probes.loader_batches, images, labels, size, device="cpu")[0]
    for index, batch in enumerate(on_cpu):
        if not any(_same_values(batch, wanted) for wanted in expected):
            fail(f"batch {index} of the DeviceDataLoader on the CPU to be a batch of the "
                 "wrapped loader", "other values", "Yield the batches of self.dl passed "
                 "through to_device, not new tensors (zeros, copies with changed values).")


# Orders students yield the batches in instead of the loader's: (the order, its hint).
WRONG_ORDERS = [
    (lambda n: [0] * n, "next(iter(self.dl)) starts the loader afresh each time, so it always "
     "gives the first batch: loop over self.dl once (for batch in self.dl)."),
    (lambda n: list(range(n))[::-1], "Yield the batches in the order the wrapped loader gives "
     "them (list.pop() takes the last one)."),
]


def _order(got: list, expected: list) -> list:
    """Which of the loader's batches each yielded batch is (-1: none of them)."""
    return [next((i for i, wanted in enumerate(expected) if _same_values(batch, wanted)), -1)
            for batch in got]


@pytest.mark.points(1, after="loader_moves_every_batch")
@pytest.mark.parametrize(("seed", "samples", "size"), ORDER_CASES,
                         ids=case_ids(ORDER_CASES, "seed", "samples", "batch"))
def test_loader_order_and_values(submission, seed, samples, size):
    images, labels = _data(seed, samples)
    expected = _batches(images, labels, size)
    got = _run(submission, probes.loader_batches, images, labels, size, device="cpu")[0]
    _expect_count(got, len(expected), "the DeviceDataLoader")
    order, n = _order(got, expected), len(expected)
    if order != list(range(n)):
        candidates = [(lambda make=make: make(n), hint) for make, hint in WRONG_ORDERS]
        found = first_match(candidates, order, lambda a, b: a == b, correct=list(range(n)))
        if found and found.index == 0:
            fail(f"the loader's batches 0 to {n - 1} in order", f"batch 0 {n} times", found.hint)
        if found:
            fail("the loader's batches in order", "them in reverse order", found.hint)
    _expect_batches(got, expected, "cpu", "the DeviceDataLoader on the CPU")


@pytest.mark.points(2, after=LOADER)
def test_loader_is_lazy(submission):
    images, labels = _data(5, 12)
    batches = _batches(images, labels, 3)
    got = _run(submission, probes.laziness, batches, META)
    total = got["total"]
    if got["after_init"] > 0:
        fail("DeviceDataLoader(dl, device) to pull no batch from dl yet",
             f"{got['after_init']} of {total} pulled in __init__",
             "Moving the batches in __init__ puts the whole dataset on the GPU at once: store "
             "dl and device, and move each batch in __iter__ as it is yielded.")
    if got["first"] is None:
        fail("a first batch from the DeviceDataLoader", "none", "Yield each batch of self.dl.")
    if got["after_first"] > 1:
        fail(f"1 of {total} batches pulled from dl when the first batch is yielded",
             f"{got['after_first']}",
             "__iter__ moves every batch before yielding the first (a list of moved batches, or "
             "a yield after the for loop): yield each batch inside the loop, as soon as it is "
             "moved.")
    _expect_batches([got["first"]], batches[:1], META, "the first pass")


@pytest.mark.points(1, after=LOADER)
def test_loader_reiterable(submission):
    images, labels = _data(6, 9)
    expected = _batches(images, labels, 4)
    passes = _run(submission, probes.loader_batches, images, labels, 4, device=META, passes=2)
    first, second = expect_count(passes, 2, what="two passes over the DeviceDataLoader")
    _expect_count(first, len(expected), "the first pass")
    if len(second) < len(expected):
        fail(f"{len(expected)} batches from the second pass (the second epoch)", f"{len(second)}",
             "The iterator is used up after one epoch: create it in __iter__ (loop over self.dl "
             "there) rather than calling iter(dl) once in __init__.")
    _expect_batches(second, expected, META, "the second pass")


@pytest.mark.points(1, after=LOADER)
@pytest.mark.parametrize(("samples", "size"), LEN_CASES,
                         ids=case_ids(LEN_CASES, "samples", "batch"))
def test_loader_len(submission, samples, size):
    images, labels = _data(7, samples)
    expected = len(_batches(images, labels, size))
    got = _run(submission, probes.loader_length, images, labels, size)
    if got is None:
        fail(f"len(DeviceDataLoader) == {expected}", "a class without __len__",
             "DeviceDataLoader has no __len__: define __len__ returning len(self.dl), the number "
             "of batches.")
    if got != expected:
        mistake = ("That is the number of samples (len(dl.dataset)); len must be the number of "
                   "batches, len(self.dl)." if got == samples else "Return len(self.dl).")
        fail(f"len(DeviceDataLoader) == {expected} batches", show(got), mistake)


@pytest.mark.points(1, after=(*LOADER, "to_device_dicts"))
def test_loader_dict_batches(submission):
    images, labels = _data(8, 7)
    batches = [{"image": image, "label": label} for image, label in _batches(images, labels, 3)]
    got = _run(submission, probes.loader_over, batches, META)[0]
    _expect_batches(got, batches, META, "a loader of dict batches")


# --- CUDA (0 points: run only where there is a GPU) --------------------------------


@pytest.mark.points(0, after="default_device")
def test_cuda_default_device(submission, cuda):
    report = submission.probe(probes.default_device)
    if TORCH_DEVICE not in report["classes"] or report["type"] != "cuda":
        fail("torch.device('cuda') on a machine with a GPU", report["value"],
             "Return torch.device('cuda') when torch.cuda.is_available() is True.")


@pytest.mark.points(0, after=TO_DEVICE)
def test_cuda_to_device(submission, cuda):
    t = _tensors(9)
    _expect_moved(submission, [
        ("[x, (y, {'z': z})]", [t["x"], (t["y"], {"z": t["z"]})]),
        ("{'w': w, 'n': 3}", {"w": t["w"], "n": 3}),
    ], device=cuda)


@pytest.mark.points(0, after=LOADER)
def test_cuda_loader(submission, cuda):
    images, labels = _data(10, 10)
    got = _run(submission, probes.loader_batches, images, labels, 4, device=cuda, passes=2)
    for index, batches in enumerate(expect_count(got, 2, what="two passes on CUDA")):
        _expect_batches(batches, _batches(images, labels, 4), cuda, f"pass {index + 1} on CUDA")


# --- variants (hidden) ---------------------------------------------------------
# Last in the file: the sandbox seeds each probe by its place in the run, so a hidden probe
# run before a public one would change what unseeded student code draws there.

DTYPES = (torch.float32, torch.float64, torch.int64, torch.uint8, torch.bool)


def _random_tensor(generator: torch.Generator) -> torch.Tensor:
    shape = tuple(torch.randint(1, 4, (int(torch.randint(0, 3, (), generator=generator)),),
                                generator=generator).tolist())
    dtype = DTYPES[int(torch.randint(len(DTYPES), (), generator=generator))]
    return (torch.rand(shape, generator=generator, dtype=torch.float64) * 100).to(dtype)


def _random_structure(generator: torch.Generator, depth: int) -> tuple[str, Any]:
    """(a label, a nest of lists, tuples and dicts of tensors): tensors only, as the core
    checks send, since other values are to_device_other_values' business."""
    kind = int(torch.randint(0, 4 if depth else 1, (), generator=generator))
    if kind == 0:
        return "t", _random_tensor(generator)
    parts = [_random_structure(generator, depth - 1)
             for _ in range(int(torch.randint(1, 4, (), generator=generator)))]
    if kind == 1:
        return f"[{', '.join(label for label, _ in parts)}]", [data for _, data in parts]
    if kind == 2:
        return f"({''.join(label + ', ' for label, _ in parts)})", tuple(d for _, d in parts)
    keys = [f"k{index}" for index in range(len(parts))]
    return ("{" + ", ".join(f"{key!r}: {label}" for key, (label, _) in zip(keys, parts,
                                                                            strict=True)) + "}",
            {key: data for key, (_, data) in zip(keys, parts, strict=True)})


@pytest.mark.hidden
@pytest.mark.points(1, after=TO_DEVICE)
def test_variant_to_device(submission, variant):
    """to_device on nests of the student's own variant, to meta and to the CPU."""
    generator = torch.Generator().manual_seed(variant)
    cases = [_random_structure(generator, 3) for _ in range(3)]
    _expect_moved(submission, cases)
    _expect_moved(submission, cases, device="cpu")


@pytest.mark.hidden
@pytest.mark.points(1, after=LOADER)
def test_variant_loader(submission, variant):
    """A DeviceDataLoader over a loader of the student's own variant, against the
    reference's batches."""
    generator = torch.Generator().manual_seed(variant + 1)
    seed, samples, size = (int(torch.randint(low, high, (), generator=generator))
                           for low, high in ((0, 2**31), (5, 21), (2, 7)))
    images, labels = _data(seed, samples)
    loader = DataLoader(TensorDataset(images, labels), batch_size=size, shuffle=False)
    expected = list(reference.DeviceDataLoader(loader, torch.device("cpu")))
    what = f"a DeviceDataLoader over {samples} samples in batches of {size}"
    got = _run(submission, probes.loader_batches, images, labels, size, device=META)[0]
    _expect_batches(got, expected, META, what, contents=False)
    got = _run(submission, probes.loader_batches, images, labels, size, device="cpu")[0]
    _expect_batches(got, expected, "cpu", f"{what} on the CPU")
