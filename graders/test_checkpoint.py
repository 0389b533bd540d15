"""Grader for exercise checkpoint: save_checkpoint and load_checkpoint (seed 001, section 5).

The probes (graders/probes/checkpoint.py) train a small classifier with a
batch-norm layer and Adam or SGD with momentum, so that a checkpoint must carry
buffers and optimizer state to resume exactly. What they return (state dicts,
file listings, what a safe loader reads back) is compared here; the optimizer
steps themselves run only in the child, so the parent never imports
``torch._dynamo`` through ``torch.optim``.
"""

from __future__ import annotations

from typing import Any

import pytest

from graders import TensorInfo, fail, show, tensors_close
from graders.probes import checkpoint as probes

KINDS = ["adam", "sgd"]
KIND_IDS = ["adam", "sgd-momentum"]
# (file name, passed as a pathlib.Path): an extension is not required, none may be added.
SAVE_PATHS = [("checkpoint.pt", False), ("run_3_weights", True)]
RESUME_CASES = [("adam", 2), ("sgd", 3)]
RTOL, ATOL = 1e-6, 1e-7  # the same operations in the same order: only exact resumes pass

LOST_OPTIMIZER = ("The optimizer's state was lost: Adam's running averages and step counts "
                  "(or SGD's momentum) started over. Save optimizer.state_dict() and restore it "
                  "with optimizer.load_state_dict(checkpoint['optimizer']) on the optimizer you "
                  "were given.")
BUFFERS = ("The buffers are missing (batch norm's running_mean, running_var): save and load "
           "model.state_dict(), which holds them, not only the parameters.")
SEED_LINE = ("Seed 001's line torch.load_state_dict(net.load(PATH)) has the calls inside out: "
             "checkpoint = torch.load(path, weights_only=True), then "
             "model.load_state_dict(checkpoint['model']).")


# --- comparing state dicts ------------------------------------------------------------


def _difference(got: Any, expected: Any, where: str = "") -> str:
    """Where ``got`` first differs from ``expected`` (state dicts, nested), or ''."""
    if isinstance(expected, TensorInfo):
        return _tensor_difference(got, expected, where)
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
    else:
        return "" if got == expected else f"{where} is {got!r}, not {expected!r}"
    return next((found for found in (_difference(*pair) for pair in pairs) if found), "")


def _tensor_difference(got: Any, expected: TensorInfo, where: str) -> str:
    if not isinstance(got, TensorInfo):
        return f"{where or 'the value'} is {show(got)}, not a tensor"
    if expected.data is None or got.data is None:  # meta tensors: compare metadata
        same = (got.shape, got.dtype) == (expected.shape, expected.dtype)
    else:
        same = tensors_close(got.data, expected.data, rtol=RTOL, atol=ATOL)
    return "" if same else f"{where} differs"


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


# --- saving ---------------------------------------------------------------------------


@pytest.mark.points(1)
@pytest.mark.parametrize("target", SAVE_PATHS, ids=["str-path", "pathlib-path-no-suffix"])
def test_save_writes_file(submission, target):
    path, as_path = target
    got = submission.probe(probes.saving, "adam", path, as_path)
    written = [name.removeprefix("./") for name in got["files"]]
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


def _saved_content(submission, kind: str) -> dict:
    got = submission.probe(probes.saving, kind, "checkpoint.pt", False)
    read = got["read"]
    if read is None:
        fail("a file at the given path", "none", "torch.save(checkpoint, path).")
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
        hint = 'Save {"model": model.state_dict(), "optimizer": optimizer.state_dict()}.'
        if keys and any("state_dict" in key for key in keys):
            hint += " (The PyTorch tutorial names them 'model_state_dict' and " \
                    "'optimizer_state_dict'; this contract names them 'model' and 'optimizer'.)"
        elif isinstance(content, dict) and content and all(
                isinstance(v, TensorInfo) for v in content.values()):
            hint = ("That is the model's state dict alone, as seed 001 saves it: a checkpoint "
                    "to resume from also needs the optimizer's. " + hint)
        fail('a dict with the keys "model" and "optimizer"',
             f"a dict with keys {keys}" if keys is not None else show(content), hint)
    return {"content": content, "model": got["model"], "optimizer": got["optimizer"]}


@pytest.mark.points(2)
@pytest.mark.parametrize("kind", KINDS, ids=KIND_IDS)
def test_save_format(submission, kind):
    saved = _saved_content(submission, kind)
    content = saved["content"]
    problem = _difference(content["model"], saved["model"], "['model']")
    if problem:
        hint = "Save model.state_dict(), after the training steps, as it is."
        if "lacks" in problem and "running" in problem:
            hint = BUFFERS
        fail("checkpoint['model'] to equal model.state_dict()", problem, hint)
    problem = _difference(content["optimizer"], saved["optimizer"], "['optimizer']")
    if problem:
        hint = "Save optimizer.state_dict() as it is."
        if isinstance(content["optimizer"], dict) and not content["optimizer"].get("state"):
            hint = ("The optimizer's state (Adam's running averages, SGD's momentum) is "
                    "missing: save optimizer.state_dict() after the steps.")
        fail("checkpoint['optimizer'] to equal optimizer.state_dict()", problem, hint)


# --- loading ----------------------------------------------------------------------------


def _loaded(submission, kind: str) -> dict:
    return submission.probe(probes.loading, kind, diagnose=_load_error)


@pytest.mark.points(2)
@pytest.mark.parametrize("kind", KINDS, ids=KIND_IDS)
def test_load_restores_model(submission, kind):
    got = _loaded(submission, kind)
    problem = _difference(got["model"], got["expected_model"], "state_dict()")
    if problem:
        fail("the model's state dict equal to the saved one after load_checkpoint", problem,
             "Call model.load_state_dict(checkpoint['model']) on the model you were given: "
             "rebinding the name (model = ...) does not change the caller's model.")


@pytest.mark.points(2)
@pytest.mark.parametrize("kind", KINDS, ids=KIND_IDS)
def test_load_restores_optimizer(submission, kind):
    got = _loaded(submission, kind)
    problem = _difference(got["optimizer"], got["expected_optimizer"], "state_dict()")
    if problem:
        hint = "Call optimizer.load_state_dict(checkpoint['optimizer']) too."
        if isinstance(got["optimizer"], dict) and not got["optimizer"].get("state"):
            hint = f"It is empty, as freshly built. {LOST_OPTIMIZER}"
        fail("the optimizer's state dict equal to the saved one after load_checkpoint",
             problem, hint)


@pytest.mark.points(1)
def test_load_keeps_mode(submission):
    got = _loaded(submission, "adam")
    if not got["training"]:
        fail("the model still in train mode after load_checkpoint", "eval mode",
             "load_checkpoint called model.eval(): seed 001 does that after loading, to test. "
             "Leave the mode to the caller; a resumed training run stays in train mode.")


@pytest.mark.points(3)
@pytest.mark.parametrize("case", RESUME_CASES, ids=["adam-after-2-steps", "sgd-after-3-steps"])
def test_resume_matches(submission, case):
    kind, before = case
    got = submission.probe(probes.resuming, kind, before, diagnose=_load_error)
    same_losses = len(got["losses"]) == len(got["expected_losses"]) and all(
        abs(a - b) <= ATOL + RTOL * abs(b)
        for a, b in zip(got["losses"], got["expected_losses"], strict=True))
    problem = _difference(got["state"], got["expected"], "state_dict()")
    if same_losses and not problem:
        return
    losses = ", ".join(f"{v:.4g}" for v in got["losses"])
    expected = ", ".join(f"{v:.4g}" for v in got["expected_losses"])
    hint = ("Save and restore both state dicts, the model's and the optimizer's, exactly: the "
            "steps after loading must be the ones an uninterrupted run takes.")
    if not _difference(got["state"], got["mistakes"]["fresh optimizer"]):
        hint = LOST_OPTIMIZER
    elif "running" in problem or "num_batches" in problem:
        hint = BUFFERS
    elif not _difference(got["state"], got["mistakes"]["fresh model"]):
        hint = ("Training went on from the fresh model's weights: the model's state was not "
                "restored. Save model.state_dict() and load it with model.load_state_dict.")
    fail(f"training resumed after {before} steps to take the same steps as training that never "
         f"stopped (losses {expected})", f"losses {losses}", hint)


# --- safety and devices -------------------------------------------------------------------


@pytest.mark.points(2)
def test_load_refuses_code(submission):
    got = submission.probe(probes.malicious, diagnose=_load_error)
    if got["ran"]:
        fail("load_checkpoint to refuse a file whose unpickling runs code",
             "the file's code ran (it created a file)", "Loading ran code from the file: read "
             "checkpoints with torch.load(path, weights_only=True), never weights_only=False "
             "or pickle.load.")
    if got["raised"] is None:
        fail("load_checkpoint to raise on a file that holds more than tensors", "no exception",
             "Do not catch the loader's error: a checkpoint that cannot be read safely must "
             "stop the caller, not be skipped silently.")


@pytest.mark.points(1)
def test_meta_device_untouched(submission):
    got = submission.probe(probes.on_meta, "sgd", diagnose=lambda raised: (
        "Saving and loading must not move the model: no .cpu() or .to(...), and no "
        "map_location that moves tensors off the model's device."))
    for step in ("after_save", "after_load"):
        if got[step] != ["meta"]:
            fail(f"the parameters still on the meta device {step.replace('_', ' ')}",
                 f"{got[step]}", "save_checkpoint and load_checkpoint must not move the model.")


@pytest.mark.points(0)
def test_cuda_resume(submission, cuda):
    got = submission.probe(probes.resuming, "adam", 2, cuda, timeout=60)
    if got["devices"] != ["cuda:0"]:
        fail("the resumed model still on cuda:0", f"{got['devices']}",
             "Loading must not move the model: load_state_dict copies into its parameters.")
    problem = _difference(got["state"], got["expected"], "state_dict()")
    if problem:
        fail("an exact resume on CUDA", problem, "Save and restore both state dicts.")
