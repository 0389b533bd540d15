"""Code that runs in the sandboxed child, next to the student's code.

Nothing here decides a score: the child imports the submission, runs one
grader-written probe on inputs the parent sent, and writes back what it
observed in the closed format of ``graders._wire`` (never a pickle).
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import os
import sys
import traceback
import types
from typing import Any

from graders import _isolation as isolation
from graders import _wire as wire
from graders._wire import ProbeRequest

PACKAGE = "submission"


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


def _redirect(request: ProbeRequest) -> None:
    """stdin from /dev/null, output and result to this probe's files (fds 1, 2 and 3).

    Both are opened now, while the probe still holds the jail's rights: the box
    itself stays closed to student code.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    result = os.open(request.result_path(), flags, 0o600)
    out = os.open(request.output_path(), flags, 0o600)
    null = os.open(os.devnull, os.O_RDONLY)
    for source, target in ((null, 0), (out, 1), (out, 2), (result, 3)):
        os.dup2(source, target)
    os.closerange(4, 1024)  # the jail's and the fork server's pipes stay out of reach


def _fresh_random_state(seed: int | None = None) -> None:
    """Children are forked from one server: without this, unseeded student code would
    draw the same numbers in every child and look reproducible when it is not."""
    import random

    import numpy as np
    import torch

    if seed is None:
        seed = int.from_bytes(os.urandom(4), "little")
    random.seed(seed)
    np.random.seed(seed)
    if _accelerators_built():
        torch.manual_seed(seed)  # CPU, and CUDA (or XPU) lazily should the probe use it
    else:
        # What manual_seed does on a CPU-only build, without queuing a seed for devices
        # that cannot exist: that queue records a formatted stack, 2.9 ms of every probe.
        torch.default_generator.manual_seed(seed)


def _accelerators_built() -> bool:
    import torch

    xpu = getattr(getattr(torch, "xpu", None), "_is_compiled", lambda: False)
    return torch.backends.cuda.is_built() or torch.backends.mps.is_built() or xpu()


def isolation_report(module: None) -> list:
    """The layers this child applied (asked once per sandbox)."""
    del module
    return [[layer.name, layer.active, layer.detail] for layer in APPLIED]


def jail_timings(module: None) -> list:
    """How long each step of this jail's set-up took (benchmarks)."""
    del module
    return [list(item) for item in isolation.TIMINGS]


def run(request: ProbeRequest, layers: list) -> None:
    """Probe entry point (a fork of the jail): never returns.

    The output and result files are opened first, while the probe still holds
    the jail's rights; then the probe's own isolation steps, a fresh random
    state, and the probe itself on the submission's fresh import.
    """
    result = b""
    submission = request.directory
    try:
        _redirect(request)
        APPLIED[:] = isolation.run_probe_pipeline(request, layers)
        _fresh_random_state(request.seed)
        submission = os.path.join(request.box, "submission")
        result = answer(submission, request.exercise, request.probe, request.args, request.kwargs)
    except BaseException as error:  # the probe's own set-up failed
        result = _raised(error, submission)
    _write(result)


def answer(submission: str, exercise: str, probe_spec: str, args: tuple, kwargs: dict) -> bytes:
    """Import the submission afresh, run one probe on it, and encode what it observed.

    Split from ``run`` so that a benchmark can measure the probes' own compute with
    no sandbox at all (``benchmarks/in_process.py``); grading only calls it in a child.
    """
    module = None
    try:
        probe = _probe_function(probe_spec)
        module = _import_submission(submission, exercise) if exercise else None
        return wire.encode_returned(probe(module, *args, **kwargs))
    except NotDefined as error:
        return wire.encode_missing(str(error))
    except AttributeError as error:
        # A probe used module.name directly and the submission lacks it.
        missing = module is not None and getattr(error, "obj", None) is module
        if missing:
            return wire.encode_missing(f"{exercise}.py does not define `{error.name}`")
        return _raised(error, submission)
    except BaseException as error:  # SystemExit and KeyboardInterrupt are student outcomes too
        return _raised(error, submission)


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
    """Import what every child needs, once, in the fork server (the meta device lazily)."""
    import numpy  # noqa: F401
    import torch
    import torch.nn
    import torch.utils.data

    from graders import probes

    probes.load_all()
    torch.set_num_threads(1)  # children share two cores with the parent
    _fresh_random_state()  # the first seeding imports lazily (~15 ms): pay it once, here
    # Objects made so far are never collected: the collector then leaves their pages
    # alone in every fork, instead of copying them (copy-on-write) in each probe.
    gc.freeze()


def warm_sklearn() -> None:
    """What the contracts that load scikit-learn's data import (seconds), once, in the fork
    server. Its BLAS starts no threads: the server's environment sets one thread."""
    import sklearn.datasets
    import sklearn.model_selection
    import sklearn.preprocessing  # noqa: F401

    gc.freeze()


def warm_meta() -> None:
    """The meta device's first op, once, in the fork server, without torch._dynamo.

    Torch marks some of its functions "never compile this"; the first call of each imports
    torch._dynamo (1.7 s here) only to build that mark. Nothing in grading compiles, so the
    mark is the function itself: see ``_mark_dynamo_disabled``.
    """
    import torch

    _mark_dynamo_disabled()
    (torch.zeros(2, device="meta") - 1).relu().mean()
    gc.freeze()


def warm_dynamo() -> None:
    """torch._dynamo itself, once, in the fork server: every optimizer's ``step`` imports it
    (torch.optim), so a run with optimizers pays it here rather than in every child."""
    import torch
    import torch._dynamo

    (torch.zeros(2, device="meta") - 1).relu().mean()
    gc.freeze()


def _mark_dynamo_disabled() -> int:
    """Give each function torch wrapped with ``torch._compile._disable_dynamo`` its
    "disabled" version now: the function itself, which is what the disabled version does
    when nothing is being compiled. Returns how many it marked.

    Found by the wrapper's code object (learnt from a sample wrapper); should torch change
    how it wraps, nothing is marked and the first such call imports torch._dynamo as before.
    A student who compiles imports torch._dynamo themselves and gets it for everything else.
    """
    import torch._compile

    if "torch._dynamo" in sys.modules:
        return 0
    code = torch._compile._disable_dynamo(lambda: None).__code__
    if "fn" not in code.co_freevars:
        return 0
    where = code.co_freevars.index("fn")
    gc.unfreeze()  # frozen objects are invisible to get_objects
    marked = 0
    for item in gc.get_objects():
        if type(item) is types.FunctionType and item.__code__ is code:
            function = item.__closure__[where].cell_contents
            with contextlib.suppress(AttributeError, TypeError):
                if getattr(function, "__dynamo_disable", None) is None:
                    function.__dynamo_disable = function
                    marked += 1
    return marked


WARM_UPS = {"meta": warm_meta, "dynamo": warm_dynamo, "sklearn": warm_sklearn}
