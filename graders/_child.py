"""Code that runs in the sandboxed child, next to the student's code.

Nothing here decides a score: the child imports the submission, runs one
grader-written probe on inputs the parent sent, and writes back plain data
(numbers, strings, plain tensors) that the parent loads with
``torch.load(weights_only=True)``.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import signal
import sys
import traceback
import types
from dataclasses import dataclass, field
from typing import Any

from graders import _isolation as isolation

MAX_TENSOR_ELEMENTS = 1_000_000  # beyond this only the metadata comes back
MAX_TEXT = 2_000
MAX_ITEMS = 10_000
PACKAGE = "submission"


ROOT_PREFIX = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
APPLIED: list = []  # the isolation layers this child applied


@dataclass(frozen=True)
class ProbeRequest:
    """One probe: run ``probe(module, *args, **kwargs)`` on one exercise file.

    ``box`` is an empty directory of the parent's for this probe alone: the
    child's output, working directory and result live there. ``hidden`` lists
    directories the child must not see (the kit, other submissions, temporary
    directories and homes).
    """

    directory: str
    exercise: str
    probe: str  # "module:function", importable in the fork server
    box: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    hidden: tuple = ()
    rebound: tuple = ()  # directories under ``hidden`` the child still needs (Python itself)
    cpu_seconds: int = 60
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
        return {
            "k": "dict",
            "items": [[describe(k, depth + 1), describe(v, depth + 1)] for k, v in pairs],
        }
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


def _import_submission(directory: str, exercise: str) -> types.ModuleType:
    package = types.ModuleType(PACKAGE)
    package.__path__ = [directory]
    sys.modules[PACKAGE] = package
    return importlib.import_module(f"{PACKAGE}.{exercise}")


def _probe_function(spec: str):
    module_name, _, name = spec.partition(":")
    return getattr(importlib.import_module(module_name), name)


def _redirect(box: str) -> None:
    """stdin from /dev/null, output and result to files in the box (fds 1, 2 and 3).

    Both files are opened now, so the box itself can be read-only to student code.
    """
    result = os.open(os.path.join(box, "result.pt"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    out = os.open(os.path.join(box, "output.txt"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    null = os.open(os.devnull, os.O_RDONLY)
    for source, target in ((null, 0), (out, 1), (out, 2), (result, 3)):
        os.dup2(source, target)
    os.closerange(4, 1024)  # the fork server's pipes stay out of reach


def _wait_and_mirror(pid: int) -> None:
    """Wait for ``pid`` and end this process the same way (exit code or signal)."""
    while True:
        try:
            _, status = os.waitpid(pid, 0)
            break
        except ChildProcessError:
            os._exit(70)
        except InterruptedError:
            continue
    if os.WIFSIGNALED(status):
        signum = os.WTERMSIG(status)
        if signum not in (signal.SIGKILL, signal.SIGSTOP):  # their handlers cannot be set
            signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
        os._exit(128 + signum)  # not reached unless the signal is blocked
    os._exit(os.WEXITSTATUS(status))


def _enter_process_namespace(remount_proc: bool) -> None:
    """Continue as pid 1 of the new PID namespace (unshared before).

    When it ends, the kernel ends every process left in the namespace, and
    nothing inside can see or signal the grader. (As pid 1 it also ignores
    signals it sends itself; a real crash still ends it.)
    """
    init = os.fork()
    if init:
        _wait_and_mirror(init)
    isolation.die_with_parent()
    if remount_proc:
        with contextlib.suppress(OSError):
            isolation.mount_proc()


def _namespaces(request: ProbeRequest) -> list:
    Layer = isolation.Layer
    reasons = isolation.unshare_namespaces()
    hidden = not reasons["filesystem"]
    if hidden:
        try:
            isolation.hide_paths(list(request.hidden), request.box, list(request.rebound))
        except OSError as error:
            hidden, reasons["filesystem"] = False, str(error)
    if not reasons["processes"]:
        _enter_process_namespace(remount_proc=hidden)
    if hidden:
        try:
            isolation.read_only_except([os.path.join(request.box, "work"), "/dev/shm"])
        except OSError as error:
            hidden, reasons["filesystem"] = False, str(error)
    return [
        Layer(
            "network",
            not reasons["network"],
            reasons["network"] or "own network namespace with no interfaces",
        ),
        Layer(
            "filesystem",
            hidden,
            reasons["filesystem"]
            or "kit, other submissions, temporary "
            "directories and homes covered by empty mounts; all else read-only but the "
            "working directory",
        ),
        Layer(
            "process view",
            not reasons["processes"],
            reasons["processes"] or "own PID namespace: cannot see or signal the grader",
        ),
        Layer(
            "ipc",
            not reasons["ipc"],
            reasons["ipc"]
            or "own IPC namespace: System V "
            "shared memory, semaphores and message queues end with the check",
        ),
    ]


def _isolate(request: ProbeRequest, cgroups: dict) -> str:
    """Apply every isolation layer this machine allows; returns the directory to import."""
    os.setsid()
    os.umask(0o022)
    os.chmod(request.box, 0o755)  # readable by `nobody` (see drop_privileges)
    _redirect(request.box)
    submission = os.path.join(request.box, "submission")
    if request.exercise:
        isolation.copy_submission(request.directory, submission)
    layers = isolation.join_cgroups(cgroups)
    layers += _namespaces(request)
    isolation.basic_limits(request.cpu_seconds, request.max_file_bytes)
    work = os.path.join(request.box, "work")
    os.makedirs(work, exist_ok=True)
    os.chmod(work, 0o777)  # writable after drop_privileges, also where it is no tmpfs
    os.chdir(work)
    os.environ.clear()
    os.environ.update(isolation.scrubbed_environment(work))
    sys.dont_write_bytecode = True
    # Only the kit's root goes: a virtualenv may live inside it (nox's .nox/).
    sys.path[:] = [p for p in sys.path if p and p != "." and os.path.realpath(p) != ROOT_PREFIX]
    layers.append(isolation.drop_privileges())  # last: the steps above need them
    _fresh_random_state()
    APPLIED[:] = layers
    return submission


def _fresh_random_state() -> None:
    """Children are forked from one server: without this, unseeded student code would
    draw the same numbers in every child and look reproducible when it is not."""
    import random

    import numpy as np
    import torch

    seed = int.from_bytes(os.urandom(4), "little")
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def isolation_report(module: None) -> list:
    """The layers this child applied (asked once per sandbox)."""
    del module
    return [[layer.name, layer.active, layer.detail] for layer in APPLIED]


def run(request: ProbeRequest, cgroups: dict) -> None:
    """Child entry point (after fork): never returns."""
    result: dict = {"k": "crashed"}
    submission, module = request.directory, None
    try:
        submission = _isolate(request, cgroups)
        probe = _probe_function(request.probe)
        module = _import_submission(submission, request.exercise) if request.exercise else None
        value = probe(module, *request.args, **request.kwargs)
        result = {"k": "returned", "value": describe(value)}
    except NotDefined as error:
        result = {"k": "not-defined", "message": str(error)}
    except AttributeError as error:
        # A probe used module.name directly and the submission lacks it.
        missing = module is not None and getattr(error, "obj", None) is module
        result = (
            {"k": "not-defined", "message": f"{request.exercise}.py does not define `{error.name}`"}
            if missing
            else _raised(error, submission)
        )
    except BaseException as error:  # SystemExit and KeyboardInterrupt are student outcomes too
        result = _raised(error, submission)
    _write(result)


def _write(result: dict) -> None:
    try:
        import torch

        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(BaseException):
                stream.flush()
        # fd 3 is the box's result file (see _redirect); student code may have written to it.
        os.ftruncate(3, 0)
        os.lseek(3, 0, os.SEEK_SET)
        with os.fdopen(3, "wb") as handle:
            torch.save(result, handle)
    finally:
        os._exit(0)


def preload() -> None:
    """Import what every child needs, once, in the fork server."""
    import numpy  # noqa: F401
    import torch
    import torch.nn
    import torch.utils.data

    from graders import probes

    probes.load_all()
    # The first op on the meta device imports torch._dynamo (seconds): pay it
    # once here rather than in every child that checks device placement.
    (torch.zeros(2, device="meta") - 1).relu().mean()
    torch.set_num_threads(1)  # children share two cores with the parent
