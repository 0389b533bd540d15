"""Grader for exercise net: seed 001's CNN, with its flatten size computed for any image size."""

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from graders import (
    CheckFailed,
    Returned,
    ShapeTable,
    TensorInfo,
    answer_key,
    case_ids,
    expect_count,
    expect_tensor,
    fail,
    first_match,
    number,
    show,
    tensors_close,
)
from graders.probes import net as probes

reference = answer_key("net")

# The core: the size formula, the layers it sizes (the default network, then one argument
# changed at a time: in_channels, image_size, num_classes), and forward's logits (their values
# with the reference's weights, then their shapes for other batches and sizes). The int type,
# the autograd graph and the devices are graded once those are right: zero logits from the
# right layers earn the layers' points, and nothing for forward.
LAYERS = ("layers_default", "layers_in_channels", "layers_image_size", "layers_num_classes")
FORWARD = ("forward_values", "forward_shape_28", "forward_shape_other_sizes",
           "forward_batch_of_one")
CORE = ("conv_output_size_values", *LAYERS, *FORWARD)


def config(in_channels=1, image_size=28, num_classes=10) -> dict:
    return {"in_channels": in_channels, "image_size": image_size, "num_classes": num_classes}


def _call(cfg: dict) -> str:
    """How the student would write the constructor call, for hints."""
    return (f"Net(in_channels={cfg['in_channels']}, image_size={cfg['image_size']}, "
            f"num_classes={cfg['num_classes']})")


def _ids(cases) -> list[str]:
    return case_ids([(c["in_channels"], c["image_size"], c["num_classes"]) for c in cases],
                    "c", "px", "cls")


# --- conv_output_size ----------------------------------------------------------------------


def _size_cases() -> list[tuple]:
    """Hand-picked sizes from the seed's network, then seeded random valid cases."""
    cases = [(28, 5, 1, 2), (28, 2, 2, 0), (14, 5, 1, 2), (14, 2, 2), (7, 2, 2), (13, 2, 2),
             (10, 3), (10, 3, 2), (32, 3, 1, 1), (5, 3, 2, 1), (9, 4, 3, 1), (1, 1)]
    return _random_size_cases(np.random.default_rng(5), cases, 200)


def _random_size_cases(rng, cases: list, count: int) -> list[tuple]:
    """``cases`` topped up to ``count`` with random valid (size, kernel, stride, padding)."""
    while len(cases) < count:
        size, kernel, stride, padding = (int(v) for v in rng.integers([1, 1, 1, 0], [65, 8, 5, 4]))
        if size + 2 * padding >= kernel:
            cases.append((size, kernel, stride, padding))
    return cases


def _expect_sizes(submission, cases: list) -> None:
    got = submission.probe(probes.output_sizes, cases)
    got = expect_count(got, len(cases), what="conv_output_size on each case")
    for case, returned in zip(cases, got, strict=True):
        expected, value = reference.conv_output_size(*case), _plain_number(returned)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != expected:
            fail(f"{_call_text(case)} = {expected}", show(value), _diagnose_size(value, case))


def _call_text(case: tuple) -> str:
    return f"conv_output_size({', '.join(map(str, case))})"


def _diagnose_size(got, case: tuple) -> str:
    """The likely mistake behind a wrong output size."""
    size, kernel, stride, padding = (*case, *(1, 0)[len(case) - 2:])  # the defaults
    span = size + 2 * padding - kernel
    candidates = [
        (lambda: span / stride + 1, "True division `/` gives a float (and no rounding down): "
         "use floor division `//`."),
        (span + 1, "You forgot to divide by the stride."),
        ((size + padding - kernel) // stride + 1, "Padding is added on both sides: use "
         "2 * padding."),
        ((size - kernel) // stride + 1, "You left out the padding."),
        (lambda: math.ceil(span / stride) + 1, "You rounded up; the output size rounds down "
         "(//)."),
        (span // stride, "You forgot the + 1."),
    ]
    if isinstance(got, (int, float)) and not isinstance(got, bool):
        found = first_match(candidates, got, math.isclose)
        if found:
            return found.hint
    return "Use (size + 2 * padding - kernel_size) // stride + 1."


def _plain_number(value):
    """A one-element tensor as its number (the values check is about values; int has its own)."""
    if isinstance(value, TensorInfo) and value.data is not None and value.data.numel() == 1:
        return value.data.item()
    return value


@pytest.mark.points(2)
def test_conv_output_size_values(submission):
    _expect_sizes(submission, _size_cases())


INT_CASES = [(28, 5, 1, 2), (28, 2, 2), (8, 4, 4, 0)]


@pytest.mark.points(1, after="conv_output_size_values")
@pytest.mark.parametrize("case", INT_CASES, ids=case_ids(INT_CASES))
def test_conv_output_size_returns_int(submission, case):
    got = submission.call("conv_output_size", *case)
    expected = reference.conv_output_size(*case)  # asked for always: the answer key records it
    if type(got) is not int:
        mistake = ("True division `/` returns a float even when it divides evenly: use floor "
                   "division `//`." if isinstance(got, float) else
                   "Return a plain Python int: nn.Linear needs an int for in_features.")
        fail(f"{_call_text(case)} to return the int {expected}",
             f"{got!r} (a float)" if isinstance(got, float) else show(got), mistake)


# --- the layers ----------------------------------------------------------------------------


def _padding(info: dict) -> tuple:
    """A conv's padding as a pair: 'same' for a 5x5 kernel is (2, 2)."""
    padding = info["padding"]
    if padding == "same":
        return tuple(k // 2 for k in info["weight"][2:])
    return (0, 0) if padding == "valid" else padding


def _output_size(size: int, kernel: int, stride: int = 1, padding: int = 0) -> int:
    """The contract's formula, in the grader's own words: the hints ask for sizes that the
    reference was never asked for, so the answer key could not give them."""
    return (size - kernel + 2 * padding) // stride + 1


def _pooled(image_size: int, pools: int) -> int:
    """The side of the feature maps after ``pools`` blocks (5x5 conv, padding 2; 2x2 pool)."""
    side = image_size
    for _ in range(pools):
        side = _output_size(_output_size(side, 5, padding=2), 2, stride=2)
    return side


def _wanted_layers(cfg: dict) -> dict:
    """What probes.describe_net says of a right Net(**cfg), from the contract: written out
    here because the answer key holds values, not the reference's Net."""
    side = _pooled(cfg["image_size"], 2)
    weights = {"conv1": (12, cfg["in_channels"], 5, 5), "conv2": (20, 12, 5, 5),
               "fc1": (200, 20 * side * side), "fc2": (cfg["num_classes"], 200)}
    want = {name: {"weight": shape, "bias": shape[:1]} for name, shape in weights.items()}
    for name in ("conv1", "conv2"):
        want[name].update(padding=(2, 2), stride=(1, 1))
    want["parameters"] = sum(math.prod(shape) + shape[0] for shape in weights.values())
    return want


def _diagnose_fc1_inputs(got: int, cfg: dict) -> str:
    """Why fc1 expects ``got`` inputs instead of 20 * s * s."""
    size = cfg["image_size"]
    s = _pooled(size, 2)
    if got == 20 * 7 * 7:
        return (f"980 = 20*7*7 is the seed's size for 28x28 images; for {size}x{size} images "
                "compute it from image_size with conv_output_size.")
    if got in (20 * _pooled(size, 1) ** 2, 20 * (size // 2) ** 2):
        return ("Your size accounts for only one of the two 2x2 poolings: each halves the "
                "size, conv_output_size(size, 2, stride=2).")
    if got == 20 * size * size:
        return ("Your size ignores both 2x2 poolings: each halves the size, "
                "conv_output_size(size, 2, stride=2).")
    return (f"{size}x{size} images leave 20 x {s} x {s} values per image: apply "
            "conv_output_size to each convolution (5, padding 2) and each pooling (2, stride 2), "
            "and check conv_output_size itself first.")


Problem = tuple[str, str, str]  # what was expected, what came back, the likely mistake


def _diagnose_conv(name: str, got: dict, want: dict, cfg: dict) -> Problem | None:
    """The mistake in a conv layer, or None when it is right."""
    weight, expected = got["weight"], want["weight"]
    shapes = (f"{name}.weight of shape {expected}",
              "a lazy weight with no shape yet" if weight == "lazy" else f"{weight}")
    if weight == "lazy":
        return (*shapes, f"{name} is a lazy layer with no shape yet: give nn.Conv2d its sizes.")
    if weight == "none" or len(weight) != 4:
        return (*shapes, f"{name} must be an nn.Conv2d with a weight.")
    if weight[0] != expected[0]:
        return (*shapes, f"{name} has {weight[0]} filters, expected {expected[0]}: seed 001's "
                "conv1 has 12 filters and conv2 20.")
    if name == "conv1" and weight[1] == 1 != cfg["in_channels"]:
        return (*shapes, f"conv1 takes 1 input channel in {_call(cfg)}: pass in_channels to "
                "the first nn.Conv2d instead of hard-coding 1.")
    if weight != expected:
        return (*shapes, "Each convolution has 5x5 filters; conv2 takes conv1's 12 channels.")
    if got["bias"] != want["bias"]:
        return (f"{name}.bias of shape {want['bias']}", f"{got['bias']}", "Keep the bias.")
    if _padding(got) != want["padding"]:
        return (f"{name} with padding {want['padding']}", f"padding {got['padding']}",
                "The seed's convolutions use padding=2, which keeps the image size with 5x5 "
                "filters.")
    if got["stride"] != want["stride"]:
        return (f"{name} with stride {want['stride']}", f"stride {got['stride']}",
                "The convolutions use stride 1; the 2x2 max-pools do the shrinking.")
    return None


def _diagnose_linear(name: str, got: dict, want: dict, cfg: dict) -> Problem | None:
    """The mistake in fc1 or fc2, or None when it is right."""
    weight, expected = got["weight"], want["weight"]
    shapes = (f"{name}.weight of shape {expected}",
              "a lazy weight with no shape yet" if weight == "lazy" else f"{weight}")
    if weight == "lazy":
        return (*shapes, f"{name} is an nn.LazyLinear, whose size is only known after a first "
                "forward pass: compute fc1's in_features with conv_output_size, use nn.Linear.")
    if weight == "none" or len(weight) != 2:
        return (*shapes, f"{name} must be an nn.Linear with a weight.")
    if name == "fc2" and weight[0] == 10 != expected[0]:
        return (*shapes, "fc2 has 10 outputs: use num_classes instead of a hard-coded 10.")
    if name == "fc1" and weight[0] == 200 and weight[1] != expected[1]:
        return (f"fc1 to take {expected[1]} inputs", f"{weight[1]}",
                _diagnose_fc1_inputs(weight[1], cfg))
    if weight != expected:
        return (*shapes, "fc1 maps 20 x s x s values to 200 units; fc2 maps those 200 to "
                "num_classes.")
    if got["bias"] != want["bias"]:
        return (f"{name}.bias of shape {want['bias']}", f"{got['bias']}", "Keep the bias.")
    return None


def _check_layers(submission, cfg: dict, want: dict | None = None) -> None:
    """Net(**cfg)'s layers are those of ``want`` (default: the contract's, _wanted_layers)."""
    got = submission.probe(probes.describe_net, cfg)
    want = want or _wanted_layers(cfg)
    for name in probes.LAYERS:
        if "missing" in got[name]:
            fail(f"layers conv1, conv2, fc1, fc2 in {_call(cfg)}", got[name]["missing"],
                 "Keep the seed's attribute names, each holding one nn.Conv2d / nn.Linear.")
        check = _diagnose_conv if name.startswith("conv") else _diagnose_linear
        finding = check(name, got[name], want[name], cfg)
        if finding:
            expected, got_text, mistake = finding
            fail(f"{expected} in {_call(cfg)}", got_text, mistake)
    if got["parameters"] != want["parameters"]:
        fail(f"{want['parameters']} parameters in {_call(cfg)}", f"{got['parameters']}",
             "Net must have only the four layers conv1, conv2, fc1, fc2.")


@pytest.mark.points(2, after="conv_output_size_values")  # fc1 is sized with conv_output_size
def test_layers_default(submission, figure):
    try:
        _check_layers(submission, config())
    except CheckFailed:  # forward_values, which pictures the shapes, will wait for this check
        _picture_own_shapes(submission, config(), figure)
        raise


SHAPES_TIMEOUT = 2.0  # seconds for the picture's forward: it earns nothing, it must cost little


def _picture_own_shapes(submission, cfg: dict, figure) -> None:
    """The shapes after each step of Net(**cfg) as the student built it (their own layers and
    initialisation), for the report: a student whose layers are wrong sees where the shapes
    go wrong. Nothing here fails the check: a forward that raises or hangs shows no tensor."""
    x = _images(cfg, 4, 100)
    run = submission.outcome(probes.forward, cfg, x, timeout=SHAPES_TIMEOUT)
    shapes = run.value.get("shapes") if (isinstance(run, Returned)
                                         and isinstance(run.value, dict)) else None
    figure(ShapeTable.of(f"shapes with your own layers, {_call(cfg)}",
                         _shape_rows(cfg, x, shapes)))


# One argument changed at a time from the default, so that a slip in one shows in its check
# alone (forward_values mixes them).
IN_CHANNELS = [config(3, 28, 10), config(2, 28, 10), config(4, 28, 10)]
IMAGE_SIZES = [config(1, 32, 10), config(1, 8, 10), config(1, 26, 10)]
NUM_CLASSES = [config(1, 28, 5), config(1, 28, 2)]


@pytest.mark.points(1, after="layers_default")
@pytest.mark.parametrize("cfg", IN_CHANNELS, ids=_ids(IN_CHANNELS))
def test_layers_in_channels(submission, cfg):
    _check_layers(submission, cfg)


@pytest.mark.points(1, after="layers_default")
@pytest.mark.parametrize("cfg", IMAGE_SIZES, ids=_ids(IMAGE_SIZES))
def test_layers_image_size(submission, cfg):
    _check_layers(submission, cfg)


@pytest.mark.points(1, after="layers_default")
@pytest.mark.parametrize("cfg", NUM_CLASSES, ids=_ids(NUM_CLASSES))
def test_layers_num_classes(submission, cfg):
    _check_layers(submission, cfg)


# --- forward: shapes -----------------------------------------------------------------------


def _images(cfg: dict, batch: int, seed: int) -> torch.Tensor:
    generator = torch.Generator().manual_seed(seed)
    size = cfg["image_size"]
    return torch.randn(batch, cfg["in_channels"], size, size, generator=generator)


def _diagnose_run(run: dict, cfg: dict, batch: int) -> str:
    """The likely mistake behind a forward that raised or returned the wrong shape."""
    fc1_input, error, out = run["fc1_input"], run["error"], run["output"]
    flattened = ("the batch dimension was flattened away: torch.flatten(x) and .squeeze() "
                 "drop it; flatten with torch.flatten(x, 1) or x.view(x.size(0), -1).")
    if fc1_input is not None and len(fc1_input) == 1:
        return f"fc1 received a tensor of shape {fc1_input}: {flattened}"
    if fc1_input is not None and fc1_input[0] != batch:
        return (f"fc1 received a tensor of shape {fc1_input} for a batch of {batch}: a "
                "hard-coded size in x.view(...) fits one batch size only; flatten with "
                "x.view(x.size(0), -1).")
    reached = run.get("fc1_in_features")
    if fc1_input is not None and reached is not None and fc1_input[-1] != reached:
        return (f"{fc1_input[-1]} values per image reach fc1, which expects {reached}: compute "
                "fc1's in_features with conv_output_size (see the layers checks).")
    if error and "980" in error and cfg["image_size"] != 28:
        return (f"Your forward raised {error}: it flattens with the seed's hard-coded 20*7*7, "
                "the size for 28x28 images; use x.view(x.size(0), -1).")
    if error and "is invalid for input of size" in error:
        return (f"Your forward raised {error}: a hard-coded size in x.view(...) fits one "
                "batch size and image size only; flatten with x.view(x.size(0), -1).")
    if error:
        return f"Your forward raised {error}."
    if not isinstance(out, TensorInfo):
        return "Return the logits tensor from forward."
    if batch == 1 and out.shape == (cfg["num_classes"],):
        return f"For a batch of one image, {flattened}"
    if out.shape == (batch,):
        return "You returned one number per image (a prediction?); return the logits."
    return "forward must return logits of shape (batch, num_classes)."


def _expect_logits(run: dict, cfg: dict, batch: int) -> TensorInfo:
    out, expected = run["output"], (batch, cfg["num_classes"])
    if run["error"] or not isinstance(out, TensorInfo) or out.shape != expected:
        got = "an error" if run["error"] else show(out)
        fail(f"logits of shape {expected} for {batch} image(s) in {_call(cfg)}", got,
             _diagnose_run(run, cfg, batch))
    return out


def _check_shape(submission, cfg: dict, batch: int, seed: int) -> None:
    run = submission.probe(probes.forward, cfg, _images(cfg, batch, seed))
    _expect_logits(run, cfg, batch)


# Shapes for other batches and sizes, once the values are right (zero logits have the right
# shape too).
@pytest.mark.points(1, after="forward_values")
@pytest.mark.parametrize("batch", [2, 5], ids=case_ids([2, 5], "batch"))
def test_forward_shape_28(submission, batch):
    _check_shape(submission, config(), batch, seed=batch)


OTHER_SIZES = [(config(1, 32, 10), 2), (config(3, 8, 4), 3), (config(2, 26, 7), 2)]


@pytest.mark.points(1, after="forward_values")
@pytest.mark.parametrize(("cfg", "batch"), OTHER_SIZES, ids=_ids(c for c, _ in OTHER_SIZES))
def test_forward_shape_other_sizes(submission, cfg, batch):
    _check_shape(submission, cfg, batch, seed=10 + batch)


ONE_IMAGE = [config(), config(3, 32, 5)]


@pytest.mark.points(1, after="forward_values")
@pytest.mark.parametrize("cfg", ONE_IMAGE, ids=_ids(ONE_IMAGE))
def test_forward_batch_of_one(submission, cfg):
    _check_shape(submission, cfg, 1, seed=20)


# --- forward: values with the reference's weights ------------------------------------------


def _seeded_weights(cfg: dict, seed: int) -> dict:
    """The four layers' weights after PyTorch's default initialisation, drawn from ``seed``
    in the layers' order: the weights the reference's Net(**cfg) gets from that seed. Built
    here, not by the reference, whose Net (a module) the answer key cannot replay."""
    wanted, layers = _wanted_layers(cfg), {}
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        for name in probes.LAYERS:  # conv1, conv2, fc1, fc2: the reference's order of draws
            outputs, inputs, *kernel = wanted[name]["weight"]
            layers[name] = (nn.Conv2d(inputs, outputs, kernel[0], padding=2) if kernel
                            else nn.Linear(inputs, outputs))
    return {f"{name}.{key}": value.detach().clone() for name, layer in layers.items()
            for key, value in layer.state_dict().items()}


def _functional(state: dict, x: torch.Tensor, relu_after=("conv1", "conv2", "fc1"),
                pool=F.max_pool2d) -> torch.Tensor:
    """The network written out with F.*, with switches for the usual slips."""
    h = x
    for name in ("conv1", "conv2"):
        h = F.conv2d(h, state[f"{name}.weight"], state[f"{name}.bias"], padding=2)
        h = pool(F.relu(h) if name in relu_after else h, 2, 2)
    h = F.linear(h.flatten(1), state["fc1.weight"], state["fc1.bias"])
    h = F.relu(h) if "fc1" in relu_after else h
    return F.linear(h, state["fc2.weight"], state["fc2.bias"])


def _value_signatures(state: dict, x: torch.Tensor) -> list[tuple[torch.Tensor, str]]:
    logits = _functional(state, x)
    raw = "return the raw logits (nn.CrossEntropyLoss applies log-softmax itself)."
    signatures = [
        (F.softmax(logits, dim=1), f"You applied softmax in forward: {raw}"),
        (F.log_softmax(logits, dim=1), f"You applied log_softmax in forward: {raw}"),
        (F.relu(logits), "You applied a ReLU after fc2: logits must be free to go negative."),
        (_functional(state, x, pool=F.avg_pool2d), "You used average pooling; the seed's "
         "network uses 2x2 max pooling (F.max_pool2d or nn.MaxPool2d)."),
    ]
    layers = ("conv1", "conv2", "fc1")
    for mask in range(1, 8):
        missing = [name for bit, name in enumerate(layers) if mask >> bit & 1]
        kept = tuple(name for name in layers if name not in missing)
        signatures.append((_functional(state, x, relu_after=kept),
                           f"The output matches the network without the ReLU after "
                           f"{' and '.join(missing)}."))
    return signatures


def _diagnose_values(got: torch.Tensor, state: dict, x: torch.Tensor) -> str:
    with torch.no_grad():
        found = first_match(_value_signatures(state, x), got,
                            lambda a, b: tensors_close(a, b, rtol=1e-3, atol=1e-5))
    if found:
        return found.hint
    if tensors_close(got.sum(dim=1), torch.ones(got.shape[0]), rtol=1e-4, atol=1e-4):
        return "Each row sums to 1, as after a softmax: return the raw logits."
    return ("Apply conv1, ReLU, 2x2 max-pool, conv2, ReLU, 2x2 max-pool, flatten, fc1, ReLU, "
            "fc2, in that order, and return fc2's output.")


VALUE_CASES = [config(), config(3, 32, 5), config(1, 8, 10), config(2, 26, 7)]
VALUE_TOLERANCE = {"rtol": 1e-4, "atol": 1e-5}
PICTURED = VALUE_CASES[1]  # every argument off its default: most slips show in its shapes


@pytest.mark.points(2, after=LAYERS)  # with the reference's weights: layers of its shapes
@pytest.mark.parametrize("cfg", VALUE_CASES, ids=_ids(VALUE_CASES))
def test_forward_values(submission, cfg, figure):
    seed = VALUE_CASES.index(cfg)
    state, x = _seeded_weights(cfg, seed), _images(cfg, 4, 100 + seed)
    with torch.no_grad():
        expected = _functional(state, x)  # the contract's forward, with F.* (trusted)
    _expect_values(submission, cfg, state, x, expected, figure if cfg == PICTURED else None)


def _shape_rows(cfg: dict, x: torch.Tensor, shapes) -> list[tuple]:
    """(step, expected shape, the student's) after each step of the network on ``x``: the
    expected ones from the contract's sizes, the student's as the probe's hooks saw them
    (None where their forward made no tensor, e.g. after it raised)."""
    batch, side = len(x), cfg["image_size"]
    sides = [_output_size(side, 5, padding=2), _pooled(side, 1)]
    sides += [_output_size(sides[1], 5, padding=2), _pooled(side, 2)]
    expected = [tuple(x.shape), (batch, 12, sides[0], sides[0]), (batch, 12, sides[1], sides[1]),
                (batch, 20, sides[2], sides[2]), (batch, 20, sides[3], sides[3]),
                (batch, 20 * sides[3] ** 2), (batch, 200), (batch, cfg["num_classes"])]
    shapes = shapes if isinstance(shapes, dict) else {}
    pools = shapes.get("pools") if isinstance(shapes.get("pools"), list) else []
    pools = [*pools[:2], None, None][:2]
    got = [tuple(x.shape), shapes.get("conv1"), pools[0], shapes.get("conv2"), pools[1],
           shapes.get("flatten"), shapes.get("fc1"), shapes.get("fc2")]
    steps = ("input", "conv1", "pool", "conv2", "pool", "flatten", "fc1", "fc2")
    return list(zip(steps, expected, got, strict=True))


def _expect_values(submission, cfg: dict, state: dict, x: torch.Tensor, expected,
                   figure=None) -> None:
    """Net(**cfg) with the weights ``state`` gives the logits ``expected`` on ``x``; with
    ``figure``, the shapes after each step go to the report first."""
    run = submission.probe(probes.forward, cfg, x, state)
    if figure is not None and not run["load_error"]:
        figure(ShapeTable.of(f"shapes after each step, {_call(cfg)}",
                             _shape_rows(cfg, x, run.get("shapes"))))
    if run["load_error"]:
        fail(f"the reference's weights to load into {_call(cfg)}",
             _load_error(run["load_error"], state),
             "Fix the layers' shapes first (see the layers checks).")
    out = _expect_logits(run, cfg, len(x))
    if not tensors_close(out.data, expected, **VALUE_TOLERANCE):
        fail(f"logits {number(expected[0], **VALUE_TOLERANCE)} for the first image (with the "
             "reference's weights)", number(out.data[0], digits=6),
             _diagnose_values(out.data, state, x))


def _reference_net(cfg: dict, seed: int) -> torch.nn.Module:
    """The reference's own Net after a seeded default initialisation (hidden checks only:
    the answer key cannot replay a module)."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return reference.Net(**cfg)


@pytest.mark.hidden
@pytest.mark.points(2, after=CORE)
def test_variant_network(submission, variant):
    """The core again, on the student's own variant, against the reference itself: sizes of
    random layers, then the layers and the logits of a Net with drawn in_channels (1-4),
    image_size (8-36: at least 2x2 maps reach fc1), num_classes (2-12) and batch (2-5)."""
    rng = np.random.default_rng(variant)
    _expect_sizes(submission, _random_size_cases(rng, [], 20))
    cfg = config(int(rng.integers(1, 5)), int(rng.integers(8, 37)), int(rng.integers(2, 13)))
    _check_layers(submission, cfg, probes.describe_net(reference, cfg))
    net, x = _reference_net(cfg, variant), _images(cfg, int(rng.integers(2, 6)), variant)
    with torch.no_grad():
        expected = net(x)
    state = {name: value.detach().clone() for name, value in net.state_dict().items()}
    _expect_values(submission, cfg, state, x, expected)


def _load_error(found, state: dict) -> str:
    """Why the reference's weights did not load: the child reports a layer and its shapes."""
    if not isinstance(found, dict) or found.get("layer") not in probes.LAYERS:
        return show(found)
    name = found["layer"]
    if "missing" in found:
        return str(found["missing"])
    for key in ("weight", "bias"):
        want = tuple(state[f"{name}.{key}"].shape)
        if found.get(key) not in ("lazy", want):
            return f"{name}.{key} of shape {found.get(key)}, the reference's {want}"
    return f"{name} refusing the reference's weights"


# --- forward: autograd and devices ---------------------------------------------------------


@pytest.mark.points(1, after=FORWARD)
def test_forward_keeps_graph(submission):
    cfg = config()
    got = submission.probe(probes.backward, cfg, _images(cfg, 2, 30))
    if got["error"]:
        fail(f"forward to run on 2 images in {_call(cfg)}", "an error", _diagnose_run(got, cfg, 2))
    out = expect_tensor(got["output"], what="forward's output")
    if out.grad_fn is None:
        fail("logits attached to the autograd graph", f"{out} with no grad_fn",
             "Something in forward cut the autograd graph (torch.no_grad(), .detach(), .data or "
             "a NumPy round trip), so training could not update the weights.")
    if got["without_grad"]:
        fail("a gradient for every parameter after output.sum().backward()",
             f"none for {', '.join(got['without_grad'])}", "Use every layer in forward.")


def _check_device(submission, device: str) -> None:
    cfg, batch = config(3, 32, 5), 2
    got = submission.probe(probes.on_device, device, cfg, batch)
    ways = {"moved": f"{_call(cfg)}.to('{device}')",
            "built": f"{_call(cfg)} built under `with torch.device('{device}')`"}
    for how, text in ways.items():
        run, out = got[how], got[how]["output"]
        if isinstance(out, TensorInfo) and out.device.startswith(device) \
                and out.shape == (batch, cfg["num_classes"]):
            continue
        off_device = (isinstance(out, TensorInfo) and not out.device.startswith(device)) or (
            run["error"] and ("meta" in run["error"] or "device" in run["error"]))
        mistake = ("forward moved the data off the input's device (x.to(device), .cpu(), "
                   "or a new tensor made without device=): keep forward device-agnostic and "
                   "move the model and the data outside it." if off_device
                   else _diagnose_run(run, cfg, batch))
        got_text = "an error" if run["error"] else show(out)
        fail(f"logits of shape {(batch, cfg['num_classes'])} on {device} from {text}",
             got_text, mistake)


@pytest.mark.points(1, after=FORWARD)
def test_meta_device(submission):
    _check_device(submission, "meta")


@pytest.mark.points(0, after=FORWARD)
def test_cuda_device(submission, cuda):
    _check_device(submission, cuda)
