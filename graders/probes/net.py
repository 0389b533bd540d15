"""Probes for the net exercise (run in the child; the parent also runs some on the reference).

Every probe builds ``module.Net(**config)`` itself and returns plain data:
layer descriptions, output tensors, error texts. The four layers are found by
kind inside the attributes ``conv1``, ``conv2``, ``fc1``, ``fc2``, so a layer
kept inside an ``nn.Sequential`` block is found as well as a bare one.
"""

import os
import traceback

import torch
from torch import nn
from torch.overrides import TorchFunctionMode

LAYERS = {"conv1": nn.Conv2d, "conv2": nn.Conv2d, "fc1": nn.Linear, "fc2": nn.Linear}


def output_sizes(module, cases):
    """``conv_output_size(*case)`` for every case, in one child."""
    return [module.conv_output_size(*case) for case in cases]


def find_layer(model, name):
    """The one Conv2d/Linear inside ``model.<name>``, or the reason there is none."""
    kind = LAYERS[name]
    block = getattr(model, name, None)
    if not isinstance(block, nn.Module):
        return None, f"Net has no layer named `{name}`"
    found = [m for m in block.modules() if isinstance(m, kind)]
    if len(found) != 1:
        return None, f"`{name}` holds {len(found)} nn.{kind.__name__} layers instead of one"
    return found[0], ""


def _shape(parameter):
    if parameter is None:
        return "none"
    if isinstance(parameter, nn.parameter.UninitializedParameter):
        return "lazy"
    return tuple(parameter.shape)


def _describe_layer(layer):
    info = {"weight": _shape(layer.weight), "bias": _shape(layer.bias)}
    if isinstance(layer, nn.Conv2d):
        padding = layer.padding
        info["padding"] = padding if isinstance(padding, str) else tuple(padding)
        info["stride"] = tuple(layer.stride)
    return info


def _parameter_count(model):
    return sum(0 if isinstance(p, nn.parameter.UninitializedParameter) else p.numel()
               for p in model.parameters())


def describe_net(module, config):
    """Each layer's parameter shapes (and a conv's padding/stride), and the parameter count."""
    model = module.Net(**config)
    description = {"parameters": _parameter_count(model)}
    for name in LAYERS:
        layer, missing = find_layer(model, name)
        description[name] = _describe_layer(layer) if layer is not None else {"missing": missing}
    return description


def _error_text(error, module):
    """'Type: message (net.py, line N)' for an error raised by the student's forward."""
    frames = [f for f in traceback.extract_tb(error.__traceback__)
              if f.filename == getattr(module, "__file__", None)]
    where = ""
    if frames:
        where = f" ({os.path.basename(frames[-1].filename)}, line {frames[-1].lineno})"
    return f"{type(error).__name__}: {str(error)[:300]}{where}"


class _Pools(TorchFunctionMode):
    """Records the output shape of each pooling call in order, however it was spelled
    (``F.max_pool2d``, ``nn.MaxPool2d``, ``F.avg_pool2d``...): they have no layer to hook."""

    def __init__(self) -> None:
        super().__init__()
        self.shapes = []

    def __torch_function__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        if "pool" in getattr(func, "__name__", "") and isinstance(out, torch.Tensor):
            self.shapes.append(tuple(out.shape))
        return out


def _hook_shapes(model, seen):
    """Forward hooks that keep, in ``seen``, the output shape of each of the four layers
    (the first time it runs) and the shape of fc1's input (what flattening made)."""
    def after(name):
        def hook(_layer, _args, out):  # returns None: the output is left as it is
            if isinstance(out, torch.Tensor):
                seen.setdefault(name, tuple(out.shape))
        return hook

    def before(_layer, args):  # returns None: the hook must not replace fc1's input
        if args and isinstance(args[0], torch.Tensor):
            seen.setdefault("flatten", tuple(args[0].shape))

    for name in LAYERS:
        layer, _ = find_layer(model, name)
        if layer is not None:
            layer.register_forward_hook(after(name))
            if name == "fc1":
                layer.register_forward_pre_hook(before)


def _run(module, model, x):
    """The forward's output, the shape that reached fc1, the error text if it raised, and
    the shape after each step of the network (``shapes``, for the report's picture)."""
    seen = {}
    _hook_shapes(model, seen)
    layer, _ = find_layer(model, "fc1")
    fc1_inputs = None
    if layer is not None:
        shape = _shape(layer.weight)
        fc1_inputs = shape[1] if isinstance(shape, tuple) and len(shape) == 2 else None
    pools = _Pools()
    try:
        with pools:
            output = model(x)
        error = None
    except NotImplementedError as raised:
        if not str(raised):  # the stub's bare NotImplementedError: not implemented yet
            raise
        output, error = None, _error_text(raised, module)  # e.g. copying out of a meta tensor
    except Exception as raised:
        output, error = None, _error_text(raised, module)
    shapes = {**seen, "pools": pools.shapes[:4]}
    return {"output": output, "fc1_input": seen.get("flatten"), "fc1_in_features": fc1_inputs,
            "error": error, "shapes": shapes}


def _load(model, state):
    """Load the reference weights layer by layer (blocks rename the state_dict keys).

    None when every layer took them; else the layer that did not, and its shapes (the
    parent compares them with the reference's).
    """
    for name in LAYERS:
        layer, missing = find_layer(model, name)
        if layer is None:
            return {"layer": name, "missing": missing}
        try:
            layer.load_state_dict({"weight": state[f"{name}.weight"],
                                   "bias": state[f"{name}.bias"]})
        except Exception:  # a size mismatch: what matters is the shapes, reported below
            return {"layer": name, "weight": _shape(layer.weight), "bias": _shape(layer.bias)}
    return None


def forward(module, config, x, state=None):
    """Run ``Net(**config)`` on ``x`` (with the reference's weights when ``state`` is given)."""
    model = module.Net(**config)
    if state is not None:
        load_error = _load(model, state)
        if load_error:
            return {"output": None, "fc1_input": None, "error": None, "load_error": load_error}
    with torch.no_grad():
        return {**_run(module, model, x), "load_error": None}


def backward(module, config, x):
    """The output's autograd metadata and which parameters get no gradient from it."""
    model = module.Net(**config)
    run = _run(module, model, x)
    output, without = run["output"], []
    if isinstance(output, torch.Tensor) and output.grad_fn is not None:
        output.sum().backward()
        without = [name for name, p in model.named_parameters() if p.grad is None]
    return {**run, "without_grad": without}


def on_device(module, device, config, batch):
    """Net moved to ``device`` with ``.to``, and Net built under ``torch.device``, run there."""
    shape = (batch, config["in_channels"], config["image_size"], config["image_size"])
    moved = module.Net(**config).to(device)
    with torch.device(device):
        built = module.Net(**config)
    x = torch.zeros(shape, device=device)
    return {"moved": _run(module, moved, x), "built": _run(module, built, x)}
