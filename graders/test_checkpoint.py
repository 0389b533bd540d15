"""Grader for exercise checkpoint: save_checkpoint and load_checkpoint (seed 001, section 5).

The probes (graders/probes/checkpoint.py) train a small classifier with a
batch-norm layer and Adam or SGD with momentum, so that a checkpoint must carry
buffers and optimizer state to resume exactly. The child only observes: it
sends back the state dicts after the student's load, the losses of the student's
runs and the files the student wrote, as raw bytes. Everything expected is
computed here, in the parent, by the same seeded ``build`` and ``train`` with
``probes.Mirror`` for the optimizer (so the parent never imports
``torch._dynamo`` through ``torch.optim``); files are read here with
``torch.load(weights_only=True)``, after checking that the archive holds no more
than its bytes.

The core is the checkpoint itself: the file's content, what loading restores and an exact
resume. The loads start from the student's own file (saved in one child, loaded in
another), so they are graded once ``save_format`` passes, and a save and a load that
agree on a path or a key name cost once. Properties (the path as given, train mode kept,
refusing code, the meta device) wait for the core they rest on.

No check needs the reference (the uninterrupted run, computed here, is what a resume must
reach), so the student kit grades the public checks alike. The hidden ``variant_resume``
repeats the loads and the resume on a run drawn from the student's variant seed.
"""

from __future__ import annotations

import functools
import io
import secrets
import zipfile
from typing import Any

import pytest
import torch

from graders import TensorInfo, fail, first_match, number, show, tensors_close
from graders.probes import checkpoint as probes

KINDS = ["adam", "sgd"]
KIND_IDS = ["adam", "sgd-momentum"]
# (file name, passed as a pathlib.Path): an extension is not required, none may be added.
SAVE_PATHS = [("checkpoint.pt", False), ("run_3_weights", True)]
RESUME_CASES = [("adam", 2), ("sgd", 3)]
STEPS_BEFORE = dict(RESUME_CASES)  # the loads are graded on the resumes' first halves
RTOL, ATOL = 1e-6, 1e-7  # the same operations in the same order: only exact resumes pass
CUDA_RTOL, CUDA_ATOL = 1e-5, 1e-6  # cuBLAS and foreach Adam round differently from the CPU
# What the parent reads from a checkpoint's bytes at most (this one holds ~200 numbers).
MAX_RECORDS, MAX_NODES, MAX_DEPTH, MAX_ELEMENTS = 256, 10_000, 10, 100_000

LOST_OPTIMIZER = ("The optimizer's state was lost: Adam's running averages and step counts "
                  "(or SGD's momentum) started over. Save optimizer.state_dict() and restore it "
                  "with optimizer.load_state_dict(checkpoint['optimizer']) on the optimizer you "
                  "were given.")
BUFFERS = ("The buffers are missing (batch norm's running_mean, running_var): save and load "
           "model.state_dict(), which holds them, not only the parameters.")
SEED_LINE = ("Seed 001's line torch.load_state_dict(net.load(PATH)) has the calls inside out: "
             "checkpoint = torch.load(path, weights_only=True), then "
             "model.load_state_dict(checkpoint['model']).")
ONLY_STATE = "Save only the two state dicts, {'model': ..., 'optimizer': ...}."
PROBE_ALTERED = "Leave the grader's probes alone: they only watch what your functions do."
FROZEN = ("The model did not learn after loading: the optimizer no longer updates the model's "
          "parameters. model.load_state_dict(..., assign=True) (or a model rebuilt inside "
          "load_checkpoint) gives the model new parameter tensors that the caller's optimizer "
          "does not hold: load into the model in place, without assign=True.")
NOT_RESTORED = ("Training went on from the fresh model's weights: the model's state was not "
                "restored. Save model.state_dict() and load it with model.load_state_dict.")
# The core: the saved file's content, what a load of the student's own file restores, and an
# exact resume. Properties wait for the core checks they build on.
CORE = ("save_format", "load_restores_model", "load_restores_optimizer", "resume_matches")


# --- what the checks expect, computed here ----------------------------------------------


def _copy(state) -> dict:
    """A state dict's values cloned into plain dicts (nested), detached from the live model."""
    if isinstance(state, dict):
        return {key: _copy(value) for key, value in state.items()}
    return state.detach().clone() if isinstance(state, torch.Tensor) else state


def _trained(kind: str, seed: int, data: tuple) -> dict:
    """The probes' model and optimizer trained from ``seed`` on ``data``, and the losses:
    the parent's own run."""
    with torch.random.fork_rng(devices=[]):  # build() seeds: leave the parent's RNG as it was
        model, optimizer = probes.build(kind, seed, mirror=True)
    losses = probes.train(model, optimizer, data)
    return {"model": _copy(model.state_dict()), "optimizer": optimizer.state_dict(),
            "losses": losses}


@functools.cache
def _saved(kind: str) -> dict:
    """What the probe ``saving`` holds when it calls save_checkpoint (fixed seeds: a save
    faked in the child would have to hold the same, which is saving)."""
    return _trained(kind, 1, tuple(probes.batches()[:2]))


def _fresh() -> tuple[int, tuple]:
    """A model seed and six batches drawn now: the child that trains on them knows them, the
    one that must resume from its checkpoint does not."""
    draw = secrets.SystemRandom()
    return draw.randrange(2**31), tuple(probes.batches(draw.randrange(2**31)))


def _resumed_wrongly(kind: str, seed: int, data: tuple, before: int, restored: str) -> dict:
    """The state a resume reaches when it restores only ``restored`` ("model", "optimizer"),
    or ("frozen") restores the model into new tensors its optimizer does not hold."""
    saved = _trained(kind, seed, data[:before])
    with torch.random.fork_rng(devices=[]):
        model, optimizer = probes.build(kind, seed=5, mirror=True)
    if restored in ("model", "frozen"):
        model.load_state_dict(saved["model"])
    if restored == "optimizer":
        optimizer.load_state_dict(saved["optimizer"])
    if restored == "frozen":
        optimizer = probes.Mirror([], kind)  # steps that move none of the model's parameters
    probes.train(model, optimizer, data[before:])
    return _copy(model.state_dict())


# --- comparing state dicts ------------------------------------------------------------


def _difference(got: Any, expected: Any, where: str = "", tolerance=(RTOL, ATOL)) -> str:
    """Where ``got`` first differs from ``expected`` (state dicts, nested), or ''."""
    if isinstance(expected, torch.Tensor):
        return _tensor_difference(got, expected, where, tolerance)
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            return f"{where or 'the value'} is {show(got)}, not a dict"
        missing = [k for k in expected if k not in got]
        if missing:
            return f"{where} lacks {', '.join(map(repr, missing[:4]))}".strip()
        pairs = [(got[key], expected[key], f"{where}[{key!r}]") for key in expected]
    elif isinstance(expected, (list, tuple)):
        if not isinstance(got, (list, tuple)) or len(got) != len(expected):
            return f"{where} is {show(got)}"
        pairs = [(g, e, f"{where}[{i}]") for i, (g, e) in enumerate(zip(got, expected,
                                                                        strict=True))]
    elif isinstance(got, (torch.Tensor, TensorInfo)) or got != expected:
        shown = number(expected, rtol=RTOL, atol=ATOL) if isinstance(expected, float) else (
            repr(expected))
        return f"{where} is {show(got)}, not {shown}"
    else:
        return ""
    return next((found for found in (_difference(*pair, tolerance) for pair in pairs)
                 if found), "")


def _tensor_difference(got: Any, expected: torch.Tensor, where: str, tolerance) -> str:
    data = got.data if isinstance(got, TensorInfo) else got  # None: meta or oversized
    if not isinstance(data, torch.Tensor):
        return f"{where or 'the value'} is {show(got)}, not a tensor with values"
    rtol, atol = tolerance
    return "" if tensors_close(data, expected, rtol=rtol, atol=atol) else f"{where} differs"


def _load_error(raised) -> str:
    """The likely mistake behind an exception load_checkpoint raised on a good checkpoint."""
    text = f"{raised.type}: {raised.message}"
    seed_line = ("module 'torch' has no attribute 'load_state_dict'", "attribute 'load'")
    if any(sign in text for sign in seed_line):
        return SEED_LINE
    if "Unexpected key" in text and ('"model"' in text or '"optimizer"' in text):
        return ("You passed the whole checkpoint to load_state_dict: pass checkpoint['model'] "
                "to the model and checkpoint['optimizer'] to the optimizer.")
    if "KeyError" in raised.type and any(key in raised.message for key in ("model", "optim")):
        return ("The checkpoint holds the keys 'model' and 'optimizer' (the format "
                "save_checkpoint writes).")
    if "parameter group" in text or "param_groups" in text:
        return "Give the optimizer its own state dict, checkpoint['optimizer']."
    return ""


# --- the observations: checked for shape, files read back safely -----------------------


def _observed(got: Any, *keys: str) -> dict:
    """The probe's report, which must be a dict with ``keys``."""
    if not isinstance(got, dict) or any(key not in got for key in keys):
        fail(f"the probe's report with {', '.join(keys)}", show(got), PROBE_ALTERED)
    return got


def _new_files(report: Any) -> dict | None:
    """The files the student's save wrote (name: bytes or size), as a probe reports them: those
    it saw appear in its working directory, less any that were there before the save (torch
    may keep a temporary folder there: TMPDIR is the working directory). None when the
    report is not such a listing."""
    files = report.get("files") if isinstance(report, dict) else None
    before = report.get("before") if isinstance(report, dict) else None
    if not isinstance(files, dict) or not isinstance(before, list):
        return None
    there = {str(name).removeprefix("./") for name in before}
    named = {str(name).removeprefix("./"): value for name, value in files.items()}
    return {name: value for name, value in named.items() if name not in there}


def _written(got: Any) -> tuple[dict, int]:
    """The files the student's save wrote (name: bytes or size) and how many there were."""
    report = _observed(got, "files", "count", "before")
    files, count = _new_files(report), report["count"]
    if files is None or type(count) is not int or count < len(files):
        fail("the probe's listing of the files written", show(report["files"]), PROBE_ALTERED)
    return files, count


def _bytes(value: Any) -> bytes | None:
    """A file's bytes as the probe sent them (a 1-d uint8 tensor), or None (over the size cap)."""
    if isinstance(value, TensorInfo) and isinstance(value.data, torch.Tensor) and (
            value.data.dtype == torch.uint8 and value.data.dim() == 1):
        return value.data.numpy().tobytes()
    return None


def _archive_problem(data: bytes) -> str:
    """Why these bytes are not handed to torch.load, or '': only a torch.save zip archive whose
    records are stored uncompressed, inside the file, is (no record inflates past the file)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            records = archive.infolist()
    except Exception:  # zipfile raises several kinds on arbitrary bytes
        return "not a zip archive (torch.save's format)"
    if len(records) > MAX_RECORDS or sum(r.file_size for r in records) > len(data) or any(
            r.compress_type != zipfile.ZIP_STORED or r.file_size != r.compress_size
            or r.header_offset + r.compress_size > len(data) for r in records):
        return "a zip archive whose records are compressed or larger than the file"
    return ""


def _within_caps(content: Any) -> bool:
    """Whether what the safe loader built is small: shared references count each time they
    appear, and a view counts its own elements, however small its storage."""
    stack, nodes, elements = [(content, 0)], 0, 0
    while stack:
        value, depth = stack.pop()
        nodes += 1
        if nodes > MAX_NODES or depth > MAX_DEPTH:
            return False
        if isinstance(value, torch.Tensor):
            elements += value.numel()
        elif isinstance(value, (dict, list, tuple, set)):
            if len(value) > MAX_NODES:
                return False
            items = [x for pair in value.items() for x in pair] if isinstance(
                value, dict) else list(value)
            stack += [(item, depth + 1) for item in items]
        if elements > MAX_ELEMENTS:
            return False
    return True


def _read_safely(data: bytes) -> dict:
    """What torch.load(weights_only=True) reads from a file's bytes: its content, or why not."""
    problem = _archive_problem(data)
    if problem:
        return {"content": None, "error": problem, "objects": False}
    try:
        content = torch.load(io.BytesIO(data), weights_only=True, map_location="cpu")
    except Exception as error:
        # "Unsupported global": the file pickles objects (a module, an optimizer), not tensors.
        text = str(error)
        return {"content": None, "error": f"{type(error).__name__}: {text[:300]}",
                "objects": "GLOBAL" in text}
    if not _within_caps(content):
        fail("a checkpoint of two state dicts", "the result was too large to read", ONLY_STATE)
    return {"content": content, "error": None, "objects": False}


# --- saving ---------------------------------------------------------------------------


def _saving(submission, kind: str, path: str, as_path: bool = False) -> tuple[dict, int]:
    """The files save_checkpoint wrote after two steps (one probe per grading run)."""
    got = submission.shared(("saving", kind, path, as_path),
                            lambda: submission.probe(probes.saving, kind, path, as_path))
    return _written(got)


@pytest.mark.points(1, after="save_format")
@pytest.mark.parametrize("target", SAVE_PATHS, ids=["str-path", "pathlib-path-no-suffix"])
def test_save_writes_file(submission, target):
    path, as_path = target
    files, count = _saving(submission, "adam", path, as_path)
    written = sorted(files) + ["..."] * (count > len(files))
    if written == [path]:
        return
    hint = (f"save_checkpoint wrote {written[0]!r} instead of the path it was given: pass "
            "path to torch.save unchanged.") if written else ""
    if not written:
        hint = "save_checkpoint wrote nothing: torch.save(checkpoint, path)."
    elif len(written) > 1:
        hint = "Write one file holding both state dicts, not one file each."
    elif written[0].startswith(f"{path}."):
        hint = f"You added {written[0][len(path):]!r} to the path: save to path exactly as given."
    fail(f"one file, {path!r}, after save_checkpoint(model, optimizer, "
         f"{'Path(' + repr(path) + ')' if as_path else repr(path)})", f"{written}", hint)


def _checkpoint_bytes(files: dict, count: int, path: str) -> bytes:
    """The student's checkpoint file: the one at ``path``, or else the only file written
    (a name that is not the path given is ``save_writes_file``'s to grade)."""
    if not files:
        fail("a checkpoint file written by save_checkpoint", "no file",
             "save_checkpoint wrote nothing: torch.save(checkpoint, path).")
    if path not in files and count > 1:
        fail("one checkpoint file", f"{count} files", "Write one file holding both state "
             'dicts, {"model": ..., "optimizer": ...}, at path: not one file each.')
    name = path if path in files else next(iter(files))
    content = _bytes(files[name])
    if content is None:
        fail(f"a checkpoint of a few KB (at most {probes.MAX_FILE_BYTES} bytes)",
             f"a file of {show(files[name])} bytes", ONLY_STATE)
    return content


def _keys_hint(content: Any) -> str:
    """Why a checkpoint is not a dict with "model" and "optimizer"."""
    keys = sorted(map(str, content)) if isinstance(content, dict) else None
    hint = 'Save {"model": model.state_dict(), "optimizer": optimizer.state_dict()}.'
    if keys and any("state_dict" in key for key in keys):
        return hint + (" (The PyTorch tutorial names them 'model_state_dict' and "
                       "'optimizer_state_dict'; this contract names them 'model' and "
                       "'optimizer'.)")
    if isinstance(content, dict) and content and all(
            isinstance(v, torch.Tensor) for v in content.values()):
        return ("That is the model's state dict alone, as seed 001 saves it: a checkpoint to "
                "resume from also needs the optimizer's. " + hint)
    return hint


def _saved_content(submission, kind: str) -> dict:
    """What torch.load(weights_only=True) reads, here, from the file the student saved."""
    read = _read_safely(_checkpoint_bytes(*_saving(submission, kind, "checkpoint.pt"),
                                          "checkpoint.pt"))
    if read["error"] is not None and not read["objects"]:
        fail("a file written by torch.save", "one torch.load cannot read",
             "Write the checkpoint with torch.save(checkpoint, path), not pickle or json.")
    if read["error"] is not None:
        fail("a file that torch.load(path, weights_only=True) reads",
             "one it refuses (it pickles objects, not only tensors)",
             "You saved objects rather than state dicts: torch.save(model, path) pickles the "
             "whole module (or optimizer), which a safe loader refuses. Save "
             "model.state_dict() and optimizer.state_dict().")
    content = read["content"]
    if not isinstance(content, dict) or not {"model", "optimizer"} <= set(content):
        keys = sorted(map(str, content)) if isinstance(content, dict) else None
        fail('a dict with the keys "model" and "optimizer"',
             f"a dict with keys {keys}" if keys is not None else show(content),
             _keys_hint(content))
    return content


@pytest.mark.points(2)
@pytest.mark.parametrize("kind", KINDS, ids=KIND_IDS)
def test_save_format(submission, kind):
    content = _saved_content(submission, kind)
    expected = _saved(kind)
    problem = _difference(content["model"], expected["model"], "['model']")
    if problem:
        hint = "Save model.state_dict(), after the training steps, as it is."
        if "lacks" in problem and "running" in problem:
            hint = BUFFERS
        fail("checkpoint['model'] to equal model.state_dict()", problem, hint)
    problem = _difference(content["optimizer"], expected["optimizer"], "['optimizer']")
    if problem:
        hint = "Save optimizer.state_dict() as it is."
        if isinstance(content["optimizer"], dict) and not content["optimizer"].get("state"):
            hint = ("The optimizer's state (Adam's running averages, SGD's momentum) is "
                    "missing: save optimizer.state_dict() after the steps.")
        fail("checkpoint['optimizer'] to equal optimizer.state_dict()", problem, hint)


# --- loading and resuming: the student's own file, saved in one child, loaded in another ---


def _relayed(report: Any) -> dict | None:
    """The bytes of the files the saving child wrote, to hand to the loading one; None when
    there is no listing, or a file is over the size cap."""
    files = _new_files(report)
    relayed = {name: _bytes(value) for name, value in (files or {}).items()}
    return None if files is None or None in relayed.values() else relayed


def _run(submission, kind: str, before: int, device: str = "cpu",
         drawn: tuple[int, tuple] | None = None, **options) -> dict:
    """Training from a seed and batches drawn now (or ``drawn``: a variant's), saved by the
    student after ``before`` steps in one child; their load and the remaining steps in
    another, fresh one (once per grading run: the loads and the resume read the same run).
    Only the files the first wrote, relayed by the parent, carry the state across: the second
    child neither shares the first one's memory nor knows its seed and first batches."""
    def compute() -> dict:
        seed, data = drawn or _fresh()
        stopped = submission.probe(probes.stopping, kind, seed, list(data[:before]), device,
                                   diagnose=_load_error, **options)
        relayed = _relayed(stopped)
        resumed = None if relayed is None else submission.probe(
            probes.resuming, kind, relayed, list(data[before:]), device,
            diagnose=_load_error, **options)
        return {"seed": seed, "data": data, "stopped": stopped, "resumed": resumed}

    name = ("run", kind, before, device) if drawn is None else ("variant", kind, before,
                                                                  drawn[0])
    return _checked(submission.shared(name, compute), before)


def _losses(value: Any) -> list[float]:
    if not isinstance(value, list) or not all(type(v) is float for v in value):
        fail("the losses of the probe's training steps", show(value), PROBE_ALTERED)
    return value


def _checked(run: dict, before: int) -> dict:
    """The run's reports, checked for shape: the losses of all its steps, the state right
    after the load (``loaded``) and at the end (``state``)."""
    files, _ = _written(_observed(run["stopped"], "losses"))
    if run["resumed"] is None:
        big = next(name for name, value in files.items() if _bytes(value) is None)
        fail(f"a checkpoint of a few KB (at most {probes.MAX_FILE_BYTES} bytes)",
             f"a file of {show(files[big])} bytes", ONLY_STATE)
    resumed = _observed(run["resumed"], "losses", "state", "devices", "loaded")
    loaded = _observed(resumed["loaded"], "model", "optimizer", "training")
    losses = _losses(run["stopped"]["losses"]) + _losses(resumed["losses"])
    if len(losses) != len(run["data"]):
        fail(f"{len(run['data'])} losses, one per training step ({before} before the "
             "checkpoint)", f"{len(losses)}", PROBE_ALTERED)
    return {**run, "losses": losses, "state": resumed["state"], "loaded": loaded,
            "devices": resumed["devices"]}


def _loaded(submission, kind: str) -> tuple[dict, dict]:
    """What the fresh model and optimizer hold right after load_checkpoint of the student's
    own file, and what the saved ones held (computed here)."""
    before = STEPS_BEFORE[kind]
    run = _run(submission, kind, before)
    return run["loaded"], _trained(kind, run["seed"], run["data"][:before])


@pytest.mark.points(2, after="save_format")
@pytest.mark.parametrize("kind", KINDS, ids=KIND_IDS)
def test_load_restores_model(submission, kind):
    _expect_model_restored(*_loaded(submission, kind))


def _expect_model_restored(got: dict, saved: dict) -> None:
    problem = _difference(got["model"], saved["model"], "state_dict()")
    if problem:
        fail("the model's state dict equal to the saved one after load_checkpoint", problem,
             "Call model.load_state_dict(checkpoint['model']) on the model you were given: "
             "rebinding the name (model = ...) does not change the caller's model.")


@pytest.mark.points(2, after=("save_format", "load_restores_model"))
@pytest.mark.parametrize("kind", KINDS, ids=KIND_IDS)
def test_load_restores_optimizer(submission, kind):
    _expect_optimizer_restored(*_loaded(submission, kind))


def _expect_optimizer_restored(got: dict, saved: dict) -> None:
    problem = _difference(got["optimizer"], saved["optimizer"], "state_dict()")
    if problem:
        # Not empty: it was loaded (or stepped), then differs: name both ways to get there.
        hint = ("Load it with optimizer.load_state_dict(checkpoint['optimizer']) and change "
                "nothing in it afterwards (its step counts, moments and learning rate).")
        if isinstance(got["optimizer"], dict) and not got["optimizer"].get("state"):
            hint = f"It is empty, as freshly built. {LOST_OPTIMIZER}"
        fail("the optimizer's state dict equal to the saved one after load_checkpoint",
             problem, hint)


@pytest.mark.points(1, after="load_restores_model")
def test_load_keeps_mode(submission):
    got, _ = _loaded(submission, "adam")
    if got["training"] is not True:
        fail("the model still in train mode after load_checkpoint", "eval mode",
             "load_checkpoint called model.eval(): seed 001 does that after loading, to test. "
             "Leave the mode to the caller; a resumed training run stays in train mode.")


def _parting(got: list[float], expected: list[float], rtol: float, atol: float) -> int | None:
    """The first step whose loss differs from the expected one, or None."""
    return next((step for step, (a, b) in enumerate(zip(got, expected, strict=True))
                 if not abs(a - b) <= atol + rtol * abs(b)), None)


def _resume_hint(run: dict, kind: str, before: int, expected: dict) -> str:
    """Which known wrong resume reached the student's final state, as a hint."""
    seed, data = run["seed"], run["data"]
    candidates = [(lambda restored=restored: _resumed_wrongly(kind, seed, data, before,
                                                              restored), hint)
                  for restored, hint in (("frozen", FROZEN), ("model", LOST_OPTIMIZER),
                                         ("optimizer", NOT_RESTORED))]
    found = first_match(candidates, run["state"], lambda a, b: not _difference(a, b),
                        correct=expected)
    if found:
        return found.hint
    if any(word in _difference(run["state"], expected) for word in ("running", "num_batches")):
        return BUFFERS
    return ("Save and restore both state dicts, the model's and the optimizer's, exactly: the "
            "steps after loading must be the ones an uninterrupted run takes.")


@pytest.mark.points(3, after=("save_format", "load_restores_model", "load_restores_optimizer"))
@pytest.mark.parametrize("case", RESUME_CASES, ids=["adam-after-2-steps", "sgd-after-3-steps"])
def test_resume_matches(submission, case):
    kind, before = case
    _expect_resumed(_run(submission, kind, before), kind, before)


def _expect_resumed(run: dict, kind: str, before: int) -> None:
    """The resumed run took the steps of training that never stopped, computed here."""
    straight = _trained(kind, run["seed"], run["data"])  # training that never stopped, here
    problem = _difference(run["state"], straight["model"], "state_dict()")
    parted = _parting(run["losses"], straight["losses"], RTOL, ATOL)
    if parted is None and not problem:
        return
    # The seed and batches are drawn afresh: the hint names where the run parted, not values.
    parting = (f"losses that part from it at step {parted + 1} of {len(run['data'])}"
               if parted is not None else f"the same losses, but {problem}")
    fail(f"training resumed after {before} steps to take the same steps as training that "
         "never stopped", parting, _resume_hint(run, kind, before, straight["model"]))


def _variant_draw(seed: int) -> tuple[str, int, tuple[int, tuple]]:
    """The optimizer, the step the run stops at and the (model seed, batches) of a student's
    variant. It stops after 1 to 5 of 6 steps: never before a step (no optimizer state yet)
    nor after the last (nothing left to resume)."""
    draws = torch.Generator().manual_seed(seed)
    draw = lambda high: int(torch.randint(high, (), generator=draws))  # noqa: E731
    kind, before = KINDS[draw(len(KINDS))], 1 + draw(5)
    return kind, before, (draw(2**31), tuple(probes.batches(draw(2**31))))


@pytest.mark.hidden
@pytest.mark.points(2, after=CORE)
def test_variant_resume(submission, variant):
    """The load and the resume on a run of the student's own variant (optimizer, model seed,
    batches, step of the save), against training that never stopped, computed here."""
    kind, before, drawn = _variant_draw(variant)
    run = _run(submission, kind, before, drawn=drawn)
    seed, data = drawn
    saved = _trained(kind, seed, data[:before])
    _expect_model_restored(run["loaded"], saved)
    _expect_optimizer_restored(run["loaded"], saved)
    _expect_resumed(run, kind, before)


# --- safety and devices -------------------------------------------------------------------


@pytest.mark.points(2, after=("load_restores_model", "load_restores_optimizer"))
def test_load_refuses_code(submission):
    got = _observed(submission.probe(probes.malicious, diagnose=_load_error), "ran", "raised",
                    "planted")
    if type(got["planted"]) is not int or got["planted"] < 1:
        fail("a file written by save_checkpoint, for the probe to replace with a malicious one",
             "no file", "save_checkpoint wrote nothing: torch.save(checkpoint, path).")
    if got["ran"] is not False:
        fail("load_checkpoint to refuse a file whose unpickling runs code",
             "the file's code ran (it created a file)", "Loading ran code from the file: read "
             "checkpoints with torch.load(path, weights_only=True), never weights_only=False "
             "or pickle.load.")
    if got["raised"] is None:
        fail("load_checkpoint to raise on a file that holds more than tensors", "no exception",
             "Do not catch the loader's error: a checkpoint that cannot be read safely must "
             "stop the caller, not be skipped silently.")


@pytest.mark.points(1, after=("save_format", "load_restores_model"))
def test_meta_device_untouched(submission):
    got = submission.probe(probes.on_meta, "sgd", diagnose=lambda raised: (
        "Saving and loading must not move the model: no .cpu() or .to(...), and no "
        "map_location that moves tensors off the model's device."))
    got = _observed(got, "after_save", "after_load")
    for step in ("after_save", "after_load"):
        if got[step] != ["meta"]:
            fail(f"the parameters still on the meta device {step.replace('_', ' ')}",
                 f"{got[step]}", "save_checkpoint and load_checkpoint must not move the model.")


@pytest.mark.points(0, after="resume_matches")
def test_cuda_resume(submission, cuda):
    got = _run(submission, "adam", 2, cuda, timeout=60)
    if got["devices"] != ["cuda:0"]:
        fail("the resumed model still on cuda:0", f"{got['devices']}",
             "Loading must not move the model: load_state_dict copies into its parameters.")
    straight = _trained("adam", got["seed"], got["data"])  # on the CPU, here
    problem = _difference(got["state"], straight["model"], "state_dict()",
                          (CUDA_RTOL, CUDA_ATOL))
    if problem or _parting(got["losses"], straight["losses"], CUDA_RTOL, CUDA_ATOL) is not None:
        fail("an exact resume on CUDA", problem or "other losses",
             "Save and restore both state dicts.")
