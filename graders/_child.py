"""Code that runs in the sandboxed child, next to the student's code.

Nothing here decides a score: the child imports the submission, runs one
grader-written probe on inputs the parent sent, and writes back plain data
(numbers, strings, plain tensors) that the parent loads with
``torch.load(weights_only=True)``.
"""

from __future__ import annotations

import importlib
import os
import resource
import sys
import traceback
import types
from dataclasses import dataclass, field
from typing import Any

MAX_TENSOR_ELEMENTS = 1_000_000  # beyond this only the metadata comes back
MAX_TEXT = 2_000
MAX_ITEMS = 10_000
PACKAGE = "submission"


@dataclass(frozen=True)
class ProbeRequest:
    """One probe: run ``probe(module, *args, **kwargs)`` on one exercise file."""

    directory: str
    exercise: str
    probe: str  # "module:function", importable in the fork server
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    workdir: str = "."
    result_path: str = "result.pt"
    output_path: str = "output.txt"
    max_file_bytes: int = 64 * 1024 * 1024


class NotDefined(Exception):
    """The submission lacks a name the exercise asks for."""


def attribute(module: types.ModuleType, name: str) -> Any:
    """``getattr`` with a message a student understands."""
    try:
        return getattr(module, name)
    except AttributeError:
        filename = module.__name__.rsplit(".", 1)[-1] + ".py"
        raise NotDefined(f"{filename} does not define `{name}`") from None


# --- probes every grader can use -------------------------------------------


def call(module: types.ModuleType, name: str, *args: Any, **kwargs: Any) -> Any:
    """Call ``module.name(*args, **kwargs)`` and return what it returns."""
    return attribute(module, name)(*args, **kwargs)


def imports(module: types.ModuleType) -> None:
    """Only import the submission: catches import-time crashes, exits and hangs once."""
    del module


def cuda_available(module: None) -> bool:
    """Asked in a child, so that neither the parent nor the fork server touches CUDA."""
    import torch

    del module
    return torch.cuda.is_available()


# --- describing results as plain data --------------------------------------


def _text(value: Any) -> str:
    try:
        text = repr(value)
    except BaseException:  # a student's __repr__ may raise anything
        text = f"<{type(value).__qualname__} object>"
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT] + "..."


def _type_name(value: Any) -> str:
    kind = type(value)
    return f"{kind.__module__}.{kind.__qualname__}"


def _tensor(value: Any) -> dict:
    import torch

    plain = value  # exact Tensor or Parameter: describe() lets no other subclass in
    info = {
        "k": "tensor",
        "shape": list(plain.shape),
        "dtype": str(plain.dtype),
        "device": str(plain.device),
        "requires_grad": bool(plain.requires_grad),
        "is_leaf": bool(plain.is_leaf),
        "grad_fn": type(plain.grad_fn).__name__ if plain.grad_fn is not None else None,
        "parameter": type(value) is torch.nn.Parameter,
        "data": None,
    }
    if plain.device.type != "meta" and plain.numel() <= MAX_TENSOR_ELEMENTS:
        info["data"] = plain.detach().to("cpu", copy=True).contiguous()
    return info


def _ndarray(value: Any) -> dict:
    import numpy as np
    import torch

    info = {"k": "ndarray", "shape": list(value.shape), "dtype": str(value.dtype), "data": None}
    if value.size <= MAX_TENSOR_ELEMENTS and value.dtype.kind in "biuf":
        info["data"] = torch.from_numpy(np.array(value, copy=True))
    return info


def describe(value: Any, depth: int = 0) -> dict:
    """Plain data for ``value``; look-alike objects come back as their type name."""
    import numpy as np
    import torch

    kind = type(value)
    if value is None:
        return {"k": "none"}
    if kind in (bool, int, float, str):
        if kind is int and abs(value) > 2**62:
            return {"k": "object", "type": "builtins.int", "repr": _text(value)}
        return {"k": kind.__name__, "v": value if kind is not str else value[:MAX_TEXT]}
    if kind in (torch.Tensor, torch.nn.Parameter):
        return _tensor(value)
    if kind is np.ndarray:
        return _ndarray(value)
    if kind in (np.float64, np.float32, np.float16):
        return {"k": "npscalar", "type": kind.__name__, "v": float(value)}
    if kind in (np.int64, np.int32, np.bool_):
        return {"k": "npscalar", "type": kind.__name__, "v": int(value)}
    if kind in (list, tuple) and depth < 8:
        items = [describe(item, depth + 1) for item in list(value)[:MAX_ITEMS]]
        return {"k": kind.__name__, "items": items}
    if kind is dict and depth < 8:
        pairs = list(dict.items(value))[:MAX_ITEMS]
        return {"k": "dict", "items": [[describe(k, depth + 1), describe(v, depth + 1)] for k, v in pairs]}
    return {"k": "object", "type": _type_name(value), "repr": _text(value)}


# --- running one probe in the child ----------------------------------------


def _where(error: BaseException, directory: str) -> str:
    """The deepest traceback line inside the submission, e.g. 'mse.py, line 12'."""
    frames = traceback.extract_tb(error.__traceback__)
    inside = [f for f in frames if f.filename.startswith(directory)]
    if not inside:
        return ""
    frame = inside[-1]
    return f"{os.path.basename(frame.filename)}, line {frame.lineno}"


def _message(error: BaseException) -> str:
    try:
        text = str(error)
    except BaseException:
        text = f"<{type(error).__name__} with an unprintable message>"
    return text[:MAX_TEXT]


def _raised(error: BaseException, directory: str) -> dict:
    return {
        "k": "raised",
        "type": type(error).__name__,
        "message": _message(error),
        "where": _where(error, directory),
    }


def _import_submission(request: ProbeRequest) -> types.ModuleType:
    package = types.ModuleType(PACKAGE)
    package.__path__ = [request.directory]
    sys.modules[PACKAGE] = package
    return importlib.import_module(f"{PACKAGE}.{request.exercise}")


def _probe_function(spec: str):
    module_name, _, name = spec.partition(":")
    return getattr(importlib.import_module(module_name), name)


def _isolate(request: ProbeRequest) -> None:
    """Own session, quiet stdin, output to a file, a fresh working directory."""
    os.setsid()
    null = os.open(os.devnull, os.O_RDONLY)
    out = os.open(request.output_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(null, 0)
    os.dup2(out, 1)
    os.dup2(out, 2)
    os.closerange(3, 1024)  # the fork server's pipes stay out of reach
    os.chdir(request.workdir)
    resource.setrlimit(resource.RLIMIT_FSIZE, (request.max_file_bytes, request.max_file_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    sys.dont_write_bytecode = True
    sys.path[:] = [p for p in sys.path if p not in ("", ".", os.environ.get("TORCHGRADE_ROOT"))]


def run(request: ProbeRequest) -> None:
    """Child entry point (after fork): never returns."""
    result: dict = {"k": "crashed"}
    try:
        _isolate(request)
        probe = _probe_function(request.probe)
        module = _import_submission(request) if request.exercise else None
        value = probe(module, *request.args, **request.kwargs)
        result = {"k": "returned", "value": describe(value)}
    except NotDefined as error:
        result = {"k": "not-defined", "message": str(error)}
    except BaseException as error:  # SystemExit and KeyboardInterrupt are student outcomes too
        result = _raised(error, request.directory)
    _write(result, request.result_path)


def _write(result: dict, path: str) -> None:
    try:
        import torch

        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except BaseException:
                pass
        # No student code can run past this point except through describe(),
        # already done; the file write is the child's last act.
        temporary = path + ".tmp"
        torch.save(result, temporary)
        os.replace(temporary, path)
    finally:
        os._exit(0)


def preload() -> None:
    """Import what every child needs, once, in the fork server."""
    import numpy  # noqa: F401
    import torch
    import torch.nn  # noqa: F401
    import torch.utils.data  # noqa: F401

    from graders import probes

    probes.load_all()
    # The first op on the meta device imports torch._dynamo (seconds): pay it
    # once here rather than in every child that checks device placement.
    (torch.zeros(2, device="meta") - 1).relu().mean()
    torch.set_num_threads(1)  # children share two cores with the parent
