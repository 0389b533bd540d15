"""Code that runs in the sandboxed child, next to the student's code.

Nothing here decides a score: the child imports the submission, runs one
grader-written probe on inputs the parent sent, and writes back what it
observed in the closed format of ``graders._wire`` (never a pickle).
"""

from __future__ import annotations

import contextlib
import importlib
import os
import signal
import sys
import traceback
import types
from typing import Any

from graders import _isolation as isolation
from graders import _wire as wire
from graders._wire import ProbeRequest

PACKAGE = "submission"


ROOT_PREFIX = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
APPLIED: list = []  # the isolation layers this child applied


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
    return text[: wire.CHILD_TEXT]


def _raised(error: BaseException, directory: str) -> bytes:
    return wire.encode_raised(type(error).__name__, _message(error), _where(error, directory))


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
    result = os.open(os.path.join(box, "result.bin"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
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
    reasons = isolation.unshare_namespaces()
    hidden, sockets = not reasons["filesystem"], 0
    if hidden:
        try:
            isolation.hide_paths(list(request.hidden), request.box, list(request.rebound))
            sockets = isolation.cover_sockets(list(request.sockets))
        except OSError as error:
            hidden, reasons["filesystem"] = False, str(error)
    if not reasons["processes"]:
        _enter_process_namespace(remount_proc=hidden)
    if hidden:
        try:
            isolation.read_only_except([os.path.join(request.box, "work"), "/dev/shm"])
        except OSError as error:
            hidden, reasons["filesystem"] = False, str(error)
    return _namespace_layers(reasons, hidden, sockets)


def _namespace_layers(reasons: dict, hidden: bool, sockets: int) -> list:
    Layer = isolation.Layer
    return [
        Layer("network", not reasons["network"],
              reasons["network"] or "own network namespace with no interfaces"),
        Layer("filesystem", hidden, reasons["filesystem"] or (
            "kit, course, other submissions, the grader's paths, temporary directories and "
            "homes covered by empty mounts; all else read-only but the working directory")),
        Layer("unix sockets", hidden and not reasons["network"],
              reasons["filesystem"] or reasons["network"] or (
                  f"/run and {sockets} other filesystem socket(s) covered; abstract sockets "
                  "left behind with the network namespace")),
        Layer("process view", not reasons["processes"],
              reasons["processes"] or "own PID namespace: cannot see or signal the grader"),
        Layer("ipc", not reasons["ipc"], reasons["ipc"] or (
            "own IPC namespace: System V shared memory, semaphores and message queues end "
            "with the check")),
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
    result = b""
    submission, module = request.directory, None
    try:
        submission = _isolate(request, cgroups)
        probe = _probe_function(request.probe)
        module = _import_submission(submission, request.exercise) if request.exercise else None
        value = probe(module, *request.args, **request.kwargs)
        result = wire.encode_returned(value)
    except NotDefined as error:
        result = wire.encode_missing(str(error))
    except AttributeError as error:
        # A probe used module.name directly and the submission lacks it.
        missing = module is not None and getattr(error, "obj", None) is module
        result = (
            wire.encode_missing(f"{request.exercise}.py does not define `{error.name}`")
            if missing
            else _raised(error, submission)
        )
    except BaseException as error:  # SystemExit and KeyboardInterrupt are student outcomes too
        result = _raised(error, submission)
    _write(result)


def _write(result: bytes) -> None:
    try:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(BaseException):
                stream.flush()
        # fd 3 is the box's result file (see _redirect); student code may have written to it.
        os.ftruncate(3, 0)
        os.lseek(3, 0, os.SEEK_SET)
        with os.fdopen(3, "wb") as handle:
            handle.write(result)
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
