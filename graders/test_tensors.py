"""Grader for exercise tensors: make_tensors, share_memory, to_batch, flatten_features.

The child only observes (graders/probes/tensors.py): what the student's functions
returned, storage addresses, and values after writes. Whether memory is shared
is decided here: equal addresses, and every write showing through as this
process's own reference (the solution's view, or the marked array) says.
"""

import numpy as np
import pytest
import torch

from graders import Raised, TensorInfo, answer_key, fail, number, show, tensors_close
from graders.probes import tensors as probes

reference = answer_key("tensors")

META = "meta"
RANDOM = {"weights"}  # drawn with randn: shape, dtype and spread are checked, not values
# The docstring's "requires grad" entries. Written out, not read off the reference's tensors:
# the answer key replays them detached, without their requires_grad.
WITH_GRAD = {"ones", "weights", "scalar"}
# The core: the tensors' shapes and values, memory really shared, the right reshaping. The
# properties (dtypes, gradient flags, devices, views, inputs unchanged) are graded once the
# core of its function passes: zeros of the right shape, or a pass-through, earn nothing.
CORE = ("make_tensors_shapes", "make_tensors_values", "share_memory_values",
        "share_memory_writes_show_through", "to_batch_shape", "flatten_features_shape")
MADE = ("make_tensors_shapes", "make_tensors_values")


def _expected() -> dict:
    """The reference's make_tensors() on the CPU (the parent never touches the meta device).
    Asked for in each check, not at import: the answer key replays it in the student kit."""
    return reference.make_tensors()


Observed = tuple[dict, torch.Tensor]  # the probe's report, and the tensor the child was sent


def _shape(shape) -> str:
    return str(tuple(shape))


def _dtype(dtype) -> str:
    return str(dtype).removeprefix("torch.")


# --- make_tensors -------------------------------------------------------------


def _make_advice(outcome: Raised) -> str:
    """The likely mistake behind an error in make_tensors."""
    if "floating point" in outcome.message and "require gradients" in outcome.message:
        return ("torch.tensor(3, requires_grad=True) is an int64 tensor, and only floating "
                "point tensors can require gradients: write 3.0 or pass dtype=torch.float32 "
                "(seed 001 does).")
    return ""


def _made(submission, device: str = "cpu") -> dict:
    """make_tensors(device): a dict with the nine keys, each a tensor, or the check fails."""
    got = submission.probe(probes.made, device, diagnose=_make_advice)
    expected = _expected()
    if not isinstance(got, dict):
        fail(f"make_tensors({device!r}) to return a dict of tensors", show(got),
             "Return a plain dict: {'zeros': ..., 'ones': ..., ...}.")
    missing = [key for key in expected if key not in got]
    extra = [str(key) for key in got if key not in expected]
    if missing or extra:
        wrong = [f"{', '.join(map(repr, missing))} missing"] * bool(missing) + [
            f"{', '.join(map(repr, extra))} not asked for"] * bool(extra)
        fail(f"the keys {sorted(expected)}", f"keys {sorted(map(str, got))}",
             f"{' and '.join(wrong)}: use the key names of the docstring's table "
             "exactly.")
    for key, value in got.items():
        if not isinstance(value, TensorInfo):
            fail(f"make_tensors()[{key!r}] to be a torch tensor", show(value),
                 "Build every entry with torch (torch.zeros, torch.tensor, ...), not NumPy or "
                 "Python lists.")
    return got


def _shape_mistake(key: str, got: tuple, want: tuple) -> str:
    if key == "zeros" and got == (2,):
        return ("torch.Tensor([5, 3]) (or torch.tensor([5, 3])) holds the two numbers 5 and 3: "
                "pass the sizes themselves, torch.zeros(5, 3).")
    if key == "scalar" and got == (1,):
        return ("torch.tensor([3.0]) has shape (1,): a 0-dimensional tensor is "
                "torch.tensor(3.0), without the brackets.")
    if key == "steps" and got == (4,):
        return ("torch.arange stops before its end: torch.arange(0, 2.5, 0.5) (or "
                "torch.linspace(0, 2, 5)) gives all five values.")
    if got == tuple(reversed(want)):
        return "The sizes are swapped: rows first, torch.randn(2, 3) is 2 rows of 3."
    return f"See the docstring's table: {key!r} has shape {_shape(want)}."


def _dtype_mistake(got: str, want: torch.dtype) -> str:
    wanted = _dtype(want)
    if wanted == "int64" and got.endswith("float32"):
        return ("torch.Tensor(...) (capital T) always builds float32: torch.tensor([1, 2, 3]) "
                "(lowercase) infers int64 from integers.")
    if wanted == "float32" and got.endswith("int64"):
        return ("Integer literals give an int64 tensor: write 1.0, 2.0, 3.0 or pass "
                "dtype=torch.float32.")
    if wanted == "float64" and got.endswith("float32"):
        return ("PyTorch's default floating dtype is float32 (NumPy's is float64): pass "
                "dtype=torch.float64.")
    if wanted == "float32" and got.endswith("float64"):
        return ("Tensors built from NumPy arrays are float64: build it with torch directly or "
                "pass dtype=torch.float32.")
    return f"Pass dtype=torch.{wanted} when you create it."


@pytest.mark.points(1)  # naming the nine entries is work: a dict of them pays, whatever they hold
def test_make_tensors_keys(submission):
    _made(submission)


@pytest.mark.points(2)
def test_make_tensors_shapes(submission):
    got = _made(submission)
    for key, want in _expected().items():
        if got[key].shape != tuple(want.shape):
            fail(f"make_tensors()[{key!r}] of shape {_shape(want.shape)}",
                 f"shape {_shape(got[key].shape)}",
                 _shape_mistake(key, got[key].shape, tuple(want.shape)))


@pytest.mark.points(2, after=MADE)
def test_make_tensors_dtypes(submission):
    got = _made(submission)
    for key, want in _expected().items():
        if got[key].dtype != str(want.dtype):
            fail(f"make_tensors()[{key!r}] of dtype {_dtype(want.dtype)}",
                 _dtype(got[key].dtype), _dtype_mistake(got[key].dtype, want.dtype))


def _values_mistake(key: str, data: torch.Tensor) -> str:
    if key == "zeros":
        return ("torch.Tensor(5, 3) and torch.empty(5, 3) leave the memory uninitialised "
                "(whatever was there): use torch.zeros(5, 3).")
    if key == "steps":
        return "torch.arange(start, end, step) takes the step last: arange(0, 2.5, 0.5)."
    return f"See the docstring's table for the values of {key!r}."


@pytest.mark.points(1)
def test_make_tensors_values(submission):
    got, expected = _made(submission), _expected()
    if all(got[key].shape != tuple(want.shape) for key, want in expected.items()):
        fail("make_tensors() entries of the docstring's shapes, to compare their values",
             "no entry of the right shape",
             "See the docstring's table: build each entry with its shape and values.")
    for key, want in expected.items():
        data = got[key].data
        if got[key].shape != tuple(want.shape):
            continue  # the shapes check says so
        if key in RANDOM:
            if data.numel() and (data.double().std() == 0 or not data.isfinite().all()):
                fail(f"make_tensors()[{key!r}] drawn from the standard normal distribution",
                     f"the values {number(data, digits=4)}",
                     "Draw them with torch.randn(2, 3, ...), not zeros, ones or torch.empty.")
            continue
        if not tensors_close(data, want, rtol=0, atol=1e-12):
            fail(f"make_tensors()[{key!r}] = {number(want, rtol=0, atol=1e-12)}",
                 number(data, digits=4),
                 _values_mistake(key, data))


# 200 calls of make_tensors: 1,200 draws of "weights". For a standard normal sample that
# size, the mean is within 0.03 and the spread within 0.02 of 0 and 1 (one standard error):
# the bounds below are seven of those, so right code never fails them, and the probe seeds
# torch, so the same file draws the same numbers in every grading run.
DRAW_CALLS = 200
MEAN_BOUND, STD_BOUND = 0.2, 0.15


def _spread_mistake(std: float, low: float) -> str:
    if low >= 0:
        return ("Those are all positive: torch.rand draws uniformly from [0, 1); use "
                "torch.randn, the standard normal.")
    if std < 1 - STD_BOUND:
        return ("Their spread is too small for a standard normal (torch.rand scaled to "
                "[-1, 1), or randn times a small factor?): use torch.randn(2, 3) as it is.")
    return "Draw them with torch.randn(2, 3): mean 0, standard deviation 1."


@pytest.mark.points(1, after="make_tensors_values")
def test_weights_standard_normal(submission):
    """The docstring names the distribution of "weights": the standard normal (randn)."""
    draws = submission.probe(probes.weights_drawn, DRAW_CALLS, diagnose=_make_advice)
    data = draws.data if isinstance(draws, TensorInfo) else None
    if data is None or data.numel() != DRAW_CALLS * 6 or not data.isfinite().all():
        fail(f"{DRAW_CALLS} calls of make_tensors() to give {DRAW_CALLS} float tensors of shape "
             "(2, 3) as 'weights'", show(draws), "Return the same table on every call.")
    mean, std, low = float(data.mean()), float(data.std()), float(data.min())
    if abs(mean) > MEAN_BOUND or abs(std - 1) > STD_BOUND:
        fail(f"'weights' drawn from the standard normal: over {DRAW_CALLS} calls, a mean "
             f"within {MEAN_BOUND} of 0 and a standard deviation within {STD_BOUND} of 1",
             f"mean {mean:.3f}, standard deviation {std:.3f}", _spread_mistake(std, low))


def _grad_mistake(key: str, tensor: TensorInfo, device: str) -> str | None:
    """Why an entry's gradient tracking is wrong, or None when it is right."""
    wants_grad = key in WITH_GRAD
    if tensor.requires_grad != wants_grad:
        if wants_grad:
            return (f"{key!r} must require gradients: create it with requires_grad=True "
                    "(or call .requires_grad_() on the new tensor).")
        return (f"Only {sorted(WITH_GRAD)} require gradients: create {key!r} without "
                "requires_grad=True.")
    if wants_grad and not tensor.is_leaf:
        return (f"{key!r} requires grad but is not a leaf (grad_fn {tensor.grad_fn}): "
                ".to(device), .double() or arithmetic after requires_grad=True make a copy with "
                "a history, whose .grad stays None (seed 004: .to(device) 'shadows the "
                f"gradient'). Create it on {device!r} with its dtype, then require grad.")
    return None


@pytest.mark.points(2, after=MADE)
def test_make_tensors_requires_grad(submission):
    got = _made(submission)
    for key, tensor in got.items():
        mistake = _grad_mistake(key, tensor, "cpu")
        if mistake:
            wanted = "a leaf that requires grad" if key in WITH_GRAD else "no requires_grad"
            fail(f"make_tensors()[{key!r}] to be {wanted}",
                 f"requires_grad={tensor.requires_grad}, is_leaf={tensor.is_leaf}", mistake)


def _expect_all_on(got: dict, device: str) -> None:
    for key, tensor in got.items():
        if tensor.device.split(":")[0] != device:
            fail(f"make_tensors({device!r})[{key!r}] on {device}", str(tensor),
                 "Build every tensor on the device argument: pass device=device to torch.zeros, "
                 "torch.tensor, torch.arange, ... (not the default CPU).")
    for key, tensor in got.items():
        # Which entries require grad is make_tensors_requires_grad's to say: here, only that
        # creating them on the device kept them leaves.
        mistake = _grad_mistake(key, tensor, device) if tensor.requires_grad else None
        if mistake:
            fail(f"make_tensors({device!r})[{key!r}] to be a leaf that requires grad",
                 f"requires_grad={tensor.requires_grad}, is_leaf={tensor.is_leaf}", mistake)


@pytest.mark.points(2, after=MADE)
def test_make_tensors_meta(submission):
    _expect_all_on(_made(submission, META), META)


@pytest.mark.points(0, after=MADE)
def test_cuda_make_tensors(submission, cuda):
    _expect_all_on(_made(submission, cuda), cuda)


# --- share_memory -------------------------------------------------------------

ARRAYS = [("float64", (2, 3)), ("float32", (4,)), ("int64", (3, 2)), ("uint8", (2, 2, 2))]


def _array(dtype: str, shape: tuple) -> np.ndarray:
    rng = np.random.default_rng(len(shape))
    if dtype.startswith(("int", "uint")):
        return rng.integers(0, 50, size=shape).astype(dtype)
    return rng.normal(size=shape).astype(dtype)


def _shared(submission, arrays: list | None = None) -> list[dict]:
    """share_memory on each array (default: those of ARRAYS), in one child: what came back and
    its writes."""
    arrays = arrays or [_array(dtype, shape) for dtype, shape in ARRAYS]
    reports = submission.probe(probes.shared_writes_each, arrays)
    if not isinstance(reports, list) or len(reports) != len(arrays) or not all(
            isinstance(report, dict) and "result" in report for report in reports):
        fail(f"one report per array ({len(arrays)})", show(reports), PROBE_ALTERED)
    for array, report in zip(arrays, reports, strict=True):
        result = report["result"]
        wanted = (f"share_memory(array) of a {array.dtype} array of shape {array.shape} to be "
                  "a tensor")
        if isinstance(result, np.ndarray):
            fail(wanted, show(result), "That is still a NumPy array: torch.from_numpy(array) "
                 "gives a tensor over the same memory.")
        if not isinstance(result, TensorInfo):
            fail(wanted, show(result), "torch.from_numpy(array) gives a tensor over the "
                 "array's memory.")
        report["array"] = array
    return reports


CONVERTED = ("The dtype changed, and converting the dtype makes a copy (torch.Tensor(array) "
             "always gives float32, .float() converts): torch.from_numpy(array) keeps the "
             "dtype and shares the memory.")
PROBE_ALTERED = "Leave the grader's probes alone: they only watch what your functions do."
COPIED = ("It is a copy: torch.tensor(array) always copies (so do .clone() and np.array(...)); "
          "torch.from_numpy(array) (or torch.as_tensor(array)) shares the array's memory.")


def _expect_same_values(report: dict) -> None:
    result, array = report["result"], report["array"]
    what = f"share_memory of a {array.dtype} array of shape {array.shape}"
    if result.shape != array.shape:
        fail(f"{what} to have shape {array.shape}", f"shape {_shape(result.shape)}",
             "Keep the array's shape: torch.from_numpy(array) does.")
    if result.dtype != f"torch.{array.dtype}":
        fail(f"{what} to have dtype {array.dtype}, like the array", _dtype(result.dtype),
             CONVERTED)
    if not tensors_close(result.data, torch.from_numpy(array), rtol=0, atol=0):
        fail(f"{what} to hold its values {number(torch.from_numpy(array), rtol=0)}",
             number(result.data, digits=4), "Return the array's values as they are.")


@pytest.mark.points(2)
def test_share_memory_values(submission):
    for report in _shared(submission):
        _expect_same_values(report)


def _same(addresses) -> bool:
    """Whether two addresses the probe observed are one (the parent compares them)."""
    return (isinstance(addresses, list) and len(addresses) == 2
            and all(type(a) is int for a in addresses) and addresses[0] == addresses[1])


def _expect_shared(report: dict) -> None:
    array = report["array"]
    what = f"a {array.dtype} array of shape {array.shape}"
    if "addresses" not in report:
        fail(f"share_memory of {what} to keep its shape", show(report["result"]),
             "Keep the array's shape: torch.from_numpy(array) does.")
    why = CONVERTED if report["result"].dtype != f"torch.{array.dtype}" else COPIED
    first, last = (0,) * array.ndim, tuple(n - 1 for n in array.shape)
    marked = array.copy()  # what both must hold after the probe's writes, computed here
    marked[first] = probes.ARRAY_MARK
    after = report.get("tensor_after")
    if not isinstance(after, TensorInfo) or not tensors_close(
            after.data, torch.from_numpy(marked), rtol=0, atol=0):
        fail(f"a write into {what} to show in the tensor",
             f"the tensor unchanged after array[0, ...] = {probes.ARRAY_MARK}", why)
    if "tensor_write_error" in report:
        fail("a tensor that can be written in place", str(report["tensor_write_error"]),
             "Return a plain tensor over the array's memory (torch.from_numpy(array)), not one "
             "that requires grad.")
    marked[last] = probes.TENSOR_MARK
    written = report.get("array_after")
    if (not isinstance(written, np.ndarray) or not np.array_equal(written, marked)
            or not _same(report["addresses"])):
        fail(f"a write into the tensor to show in {what}",
             f"the array unchanged after tensor[-1, ...] = {probes.TENSOR_MARK}", why)


@pytest.mark.points(2)
def test_share_memory_writes_show_through(submission):
    for report in _shared(submission):
        _expect_shared(report)


# --- to_batch -------------------------------------------------------------------

# (C, H, W) images; the last one is permuted from (H, W, C) like seed 001's imshow, in reverse.
IMAGES = [("rgb-3x4x5", (3, 4, 5), None), ("gray-1x8x8", (1, 8, 8), None),
          ("permuted-3x5x4", (5, 4, 3), (2, 0, 1))]


def _image(shape: tuple, permutation) -> torch.Tensor:
    image = torch.randn(shape, generator=torch.Generator().manual_seed(sum(shape)))
    return image.permute(*permutation) if permutation else image


def _report(got) -> dict:
    if not isinstance(got, dict) or not {"result", "input"} <= set(got):
        fail("the probe's report of what your function returned", show(got), PROBE_ALTERED)
    return got


def _is_view(report: dict, sent: torch.Tensor, reference_function) -> bool:
    """Whether the result shares the input's storage: the same address, and after a write of
    ``VIEW_MARK`` into the input's first element the result holds what the reference's view
    of the marked input holds (computed here)."""
    marked = sent.clone()
    marked[(0,) * marked.dim()] = probes.VIEW_MARK
    after = report.get("result_after")
    return _same(report.get("storages")) and isinstance(after, TensorInfo) and tensors_close(
        after.data, reference_function(marked), rtol=0, atol=0)


def _unchanged(after, sent: torch.Tensor) -> bool:
    """Whether the tensor the caller passed in came back as it was sent."""
    return isinstance(after, TensorInfo) and tensors_close(after.data, sent, rtol=0, atol=0)


def _to_batch_mistake(got: tuple, image_shape: tuple) -> str:
    c, h, w = image_shape
    if got == (c, h, w, 1):
        return "You added the new axis last: the batch dimension comes first, unsqueeze(0)."
    if got == (c, 1, h, w):
        return ("You added the new axis at position 1: the batch dimension comes first, "
                "unsqueeze(0).")
    if got == (c, h, w):
        return "No axis was added: image.unsqueeze(0) (or image[None]) gives (1, C, H, W)."
    if len(got) == 2 and got[0] == 1:
        return "You flattened the image: keep (C, H, W) and only add a batch axis in front."
    return "Add one axis of size 1 in front: image.unsqueeze(0)."


def _batched(submission, shape: tuple, permutation) -> Observed:
    return _batched_image(submission, _image(shape, permutation))


def _batched_image(submission, image: torch.Tensor) -> Observed:
    report = _report(submission.probe(probes.batched, image))
    result = report["result"]
    expected = tuple(reference.to_batch(image).shape)
    wanted = f"to_batch of a {_shape(image.shape)} image to have shape {expected}"
    if not isinstance(result, TensorInfo):
        fail(wanted, show(result), "Return a tensor: image.unsqueeze(0).")
    if result.shape != expected:
        fail(wanted, f"shape {_shape(result.shape)}",
             _to_batch_mistake(result.shape, tuple(image.shape)))
    return report, image


def _expect_batch_values(report: dict, image: torch.Tensor) -> None:
    if not tensors_close(report["result"].data, image.unsqueeze(0), rtol=0, atol=0):
        fail(f"batch[0] equal to the image, {number(image, rtol=0)}",
             number(report["result"].data[0], digits=4),
             "Only add an axis: no permute, transpose or reshape of the image's own axes.")


@pytest.mark.points(1)
@pytest.mark.parametrize(("shape", "permutation"), [case[1:] for case in IMAGES],
                         ids=[case[0] for case in IMAGES])
def test_to_batch_shape(submission, shape, permutation):
    _expect_batch_values(*_batched(submission, shape, permutation))


@pytest.mark.points(2, after="to_batch_shape")
def test_to_batch_is_view(submission):
    report, image = _batched(submission, (3, 4, 5), None)
    if not _is_view(report, image, reference.to_batch):
        fail("to_batch to return a view of the image (the same storage)", "a copy",
             "torch.stack, torch.cat, .clone() and torch.tensor(...) copy the pixels: "
             "image.unsqueeze(0) (or image[None], image.view(1, *image.shape)) adds the axis "
             "without copying.")


@pytest.mark.points(1, after="to_batch_shape")
def test_to_batch_input_unchanged(submission):
    report, image = _batched(submission, (3, 4, 5), None)
    after = report["input"]
    if not _unchanged(after, image):
        fail(f"the image passed in to keep its shape {_shape(image.shape)} and values",
             f"shape {_shape(after.shape)} after to_batch" if isinstance(after, TensorInfo)
             else show(after),
             "unsqueeze_ (with the underscore) changes the caller's tensor in place: use "
             "image.unsqueeze(0), which returns a new view.")


# --- flatten_features -----------------------------------------------------------

BATCHES = [("mnist-4x1x8x8", (4, 1, 8, 8)), ("one-sample-1x3x4x5", (1, 3, 4, 5)),
           ("features-6x10", (6, 10)), ("sequence-2x3x4", (2, 3, 4))]


def _batch(shape: tuple) -> torch.Tensor:
    return torch.randn(shape, generator=torch.Generator().manual_seed(len(shape) + shape[0]))


def _flatten_mistake(got: tuple, shape: tuple) -> str:
    n, features = shape[0], int(np.prod(shape[1:]))
    if got == (n * features,):
        return ("You flattened the batch dimension too (flatten() with no argument): keep it, "
                "batch.flatten(1) or batch.reshape(len(batch), -1).")
    if got == (features, n):
        return "The two sizes are swapped: (N, features), batch.reshape(len(batch), -1)."
    if n == 1 and len(got) == 2 and got[0] != 1:
        return ("A batch of one lost its batch dimension: squeeze() removes every axis of size "
                "1, the batch axis included; flatten from axis 1 instead.")
    if len(got) > 2:
        return "Flatten every axis after the first: batch.flatten(start_dim=1)."
    return "Keep the first axis and flatten the rest: batch.flatten(1)."


def _flatten_error_advice(outcome: Raised) -> str:
    message = outcome.message
    if "invalid for input of size" in message and ("784" in message or "980" in message):
        return ("You hard-coded the number of features (784 is seed 002's MNIST size): "
                "compute it from batch.shape, or let -1 infer it.")
    if "view size is not compatible" in message:
        return ("view() needs memory laid out contiguously, and a permuted batch is not: use "
                "batch.reshape(len(batch), -1) or batch.flatten(1), which copy only when "
                "they must.")
    if "invalid for input of size" in message:
        return "Compute the sizes from batch.shape: (batch.shape[0], -1)."
    return ""


def _flattened(submission, shape: tuple, permutation=None) -> Observed:
    return _flattened_batch(submission, _batch(shape), permutation)


def _flattened_batch(submission, batch: torch.Tensor, permutation=None) -> Observed:
    report = _report(submission.probe(probes.flattened, batch, permutation,
                                      diagnose=_flatten_error_advice))
    source = batch.permute(*permutation) if permutation else batch
    expected = reference.flatten_features(source)
    result = report["result"]
    what = f"flatten_features of a {_shape(source.shape)} batch"
    if not isinstance(result, TensorInfo):
        fail(f"{what} to be a tensor", show(result), "Return a tensor: batch.flatten(1).")
    if result.shape != tuple(expected.shape):
        fail(f"{what} to have shape {_shape(expected.shape)}", f"shape {_shape(result.shape)}",
             _flatten_mistake(result.shape, tuple(source.shape)))
    if not tensors_close(result.data, expected, rtol=0, atol=0):
        fail(f"row 0 of {what} to be batch[0]'s values in order, "
             f"{number(expected[0], rtol=0)}", number(result.data[0], digits=4),
             "Flatten each sample in its own order: no permute or transpose before flattening.")
    return report, batch


@pytest.mark.points(1)
@pytest.mark.parametrize("shape", [case[1] for case in BATCHES], ids=[c[0] for c in BATCHES])
def test_flatten_features_shape(submission, shape):
    _flattened(submission, shape)


@pytest.mark.points(1, after="flatten_features_shape")
def test_flatten_features_non_contiguous(submission):
    # (N, H, W, C) storage seen as (N, C, H, W): what permuting channels-last images gives.
    _flattened(submission, (4, 5, 6, 3), permutation=(0, 3, 1, 2))


@pytest.mark.points(1, after="flatten_features_shape")
def test_flatten_features_no_copy(submission):
    report, batch = _flattened(submission, (4, 3, 4, 5))
    if not _is_view(report, batch, reference.flatten_features):
        fail("flatten_features of a contiguous batch to be a view (the same storage)",
             "a copy", "A contiguous batch can be flattened without copying: batch.flatten(1) "
             "or batch.reshape(len(batch), -1) (torch.stack, torch.cat and .clone() copy).")
    if not _unchanged(report["input"], batch):
        fail("the batch passed in to stay unchanged", "it was changed",
             "Return a new view; don't change the caller's tensor in place.")


# --- the student's variant -------------------------------------------------------


@pytest.mark.hidden
@pytest.mark.points(2, after=("share_memory_values", "share_memory_writes_show_through",
                              "to_batch_shape", "flatten_features_shape"))
def test_variant_reshaping(submission, variant):
    """share_memory, to_batch and flatten_features on inputs of the student's own variant:
    an array, an image and a batch of drawn dtypes and shapes (every size 2 to 5, so that no
    draw is an edge case the public checks leave to other checks)."""
    rng = np.random.default_rng(variant)
    dtype = str(rng.choice([dtype for dtype, _ in ARRAYS]))
    shape = tuple(int(n) for n in rng.integers(2, 6, size=int(rng.integers(1, 4))))
    array = (rng.integers(0, 50, size=shape) if dtype.startswith(("int", "uint"))
             else rng.normal(size=shape)).astype(dtype)
    (report,) = _shared(submission, [array])
    _expect_same_values(report)
    _expect_shared(report)
    generator = torch.Generator().manual_seed(variant)
    image = torch.randn(tuple(int(n) for n in rng.integers(2, 6, size=3)), generator=generator)
    _expect_batch_values(*_batched_image(submission, image))
    batch_shape = tuple(int(n) for n in rng.integers(2, 6, size=int(rng.integers(2, 5))))
    _flattened_batch(submission, torch.randn(batch_shape, generator=generator))


# --- devices -------------------------------------------------------------------

NUMPY_DETOUR = ("NumPy works on CPU data only (.numpy() fails on meta and GPU tensors, and "
                "on tensors that require grad): keep the computation in torch.")


def _device_advice(outcome: Raised) -> str:
    if "numpy" in outcome.message.lower() or "meta" in outcome.message:
        return NUMPY_DETOUR
    return _flatten_error_advice(outcome)


def _expect_on(submission, name: str, shape: tuple, device: str, expected: tuple) -> None:
    got = submission.probe(probes.on_device, name, shape, device, diagnose=_device_advice)
    what = f"{name} of a {_shape(shape)} tensor on {device}"
    if isinstance(got, np.ndarray) or not isinstance(got, TensorInfo):
        fail(f"{what} to be a tensor", show(got), NUMPY_DETOUR)
    if got.device.split(":")[0] != device or got.shape != expected:
        fail(f"{what} to have shape {expected}, on {device}", str(got),
             "Only add or merge axes (unsqueeze, reshape, flatten): no .cpu(), no NumPy.")


@pytest.mark.points(1, after="to_batch_shape")
def test_to_batch_meta(submission):
    _expect_on(submission, "to_batch", (3, 4, 5), META, (1, 3, 4, 5))


@pytest.mark.points(1, after="flatten_features_shape")
def test_flatten_features_meta(submission):
    _expect_on(submission, "flatten_features", (2, 3, 4, 5), META, (2, 60))


@pytest.mark.points(0, after=("to_batch_shape", "flatten_features_shape"))
def test_cuda_batch_and_flatten(submission, cuda):
    _expect_on(submission, "to_batch", (3, 4, 5), cuda, (1, 3, 4, 5))
    _expect_on(submission, "flatten_features", (2, 3, 4, 5), cuda, (2, 60))
