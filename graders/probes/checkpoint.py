"""Probes for the checkpoint exercise (run in the child, in its own empty working directory).

The child only observes. Every probe builds a small seeded classifier with a
batch-norm layer (so its state dict holds buffers, not only parameters) and an
optimizer with state of its own (Adam's running averages, or SGD's momentum
buffers), calls the student's functions, and returns what they produced: state
dicts, losses, and the files written, as raw bytes. Nothing expected is
computed here: a submission can rebind anything in this module at import time.
The parent runs ``build`` and ``train`` itself (with ``Mirror``, a twin of the
optimizers that never imports ``torch._dynamo``), reads the files with
``torch.load(weights_only=True)`` and compares. Where a child could compute what
the parent expects from fixed seeds, the parent draws the seed and the batches
afresh and sends them only to the child that needs them. Files are written with
relative paths, inside the child's working directory; a probe reports only the files that
appeared there during the student's save (torch may keep a temporary folder there too).
"""

from __future__ import annotations

import io
import os
from collections.abc import Mapping
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

MARKER = "loaded-code-ran.txt"
MAX_FILE_BYTES = 512 * 1024  # a checkpoint of this model takes a few KB
MAX_FILES = 8
MAX_LISTED = 64  # names of files there before a save, sent back with the files
# The hyperparameters the probes build each optimizer with, and that its state dict holds.
HYPERPARAMETERS = {
    "adam": {"lr": 0.01, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0,
             "amsgrad": False, "maximize": False},  # seed 001's optimizer, lr 0.01
    "sgd": {"lr": 0.1, "momentum": 0.9, "dampening": 0, "weight_decay": 0, "nesterov": False,
            "maximize": False},
}


class Payload:
    """Unpickling this object opens (creates) ``MARKER``: what a malicious checkpoint does."""

    def __reduce__(self):
        return (open, (MARKER, "w"))


class Mirror:
    """The parent's twin of ``torch.optim.Adam`` and ``SGD`` with momentum: the same arithmetic,
    in the same order as their single-tensor (CPU) updates, and the same state dict layout.

    Building a ``torch.optim`` optimizer imports ``torch._dynamo`` (seconds); the trusted
    parent computes what the checks expect with this twin instead.
    """

    def __init__(self, params, kind: str) -> None:
        self.params, self.kind = list(params), kind
        self.state: dict[int, dict] = {}

    def zero_grad(self, set_to_none: bool = True) -> None:
        for parameter in self.params:  # set_to_none, as torch.optim's default
            parameter.grad = None

    @torch.no_grad()
    def step(self) -> None:
        hyper = HYPERPARAMETERS[self.kind]
        update = _sgd_step if self.kind == "sgd" else _adam_step
        for index, parameter in enumerate(self.params):
            if parameter.grad is not None:  # a parameter without gradient keeps its state
                update(parameter, self.state.setdefault(index, {}), hyper)

    def state_dict(self) -> dict:
        group = {**HYPERPARAMETERS[self.kind], "params": list(range(len(self.params)))}
        return {"state": {i: {key: value.clone() for key, value in state.items()}
                          for i, state in self.state.items()}, "param_groups": [group]}

    def load_state_dict(self, saved: dict) -> None:
        self.state = {i: {key: value.clone() for key, value in state.items()}
                      for i, state in saved["state"].items()}


def _sgd_step(p: torch.Tensor, state: dict, hyper: dict) -> None:
    if "momentum_buffer" in state:
        state["momentum_buffer"].mul_(hyper["momentum"]).add_(p.grad)
    else:
        state["momentum_buffer"] = p.grad.detach().clone()
    p.add_(state["momentum_buffer"], alpha=-hyper["lr"])


def _adam_step(p: torch.Tensor, state: dict, hyper: dict) -> None:
    if not state:
        state.update(step=torch.tensor(0.0), exp_avg=torch.zeros_like(p),
                     exp_avg_sq=torch.zeros_like(p))
    beta1, beta2 = hyper["betas"]
    state["step"] += 1
    state["exp_avg"].lerp_(p.grad, 1 - beta1)
    state["exp_avg_sq"].mul_(beta2).addcmul_(p.grad, p.grad, value=1 - beta2)
    step = state["step"].item()
    step_size = hyper["lr"] / (1 - beta1**step)
    denom = (state["exp_avg_sq"].sqrt() / (1 - beta2**step) ** 0.5).add_(hyper["eps"])
    p.addcdiv_(state["exp_avg"], denom, value=-step_size)


def build(kind: str, seed: int, device: str = "cpu", mirror: bool = False):
    """A seeded model (float64, so that no step hangs on rounding noise) and its optimizer
    (``kind``: "adam" or "sgd"; ``mirror``: the parent's twin)."""
    torch.random.manual_seed(seed)
    model = nn.Sequential(nn.Linear(4, 6), nn.BatchNorm1d(6), nn.ReLU(), nn.Linear(6, 3))
    model.to(device, torch.float64)
    if mirror:
        return model, Mirror(model.parameters(), kind)
    make = torch.optim.Adam if kind == "adam" else torch.optim.SGD
    return model, make(model.parameters(), **HYPERPARAMETERS[kind])


def batches(seed: int = 100, steps: int = 6) -> list:
    """``steps`` training batches of 8 samples (features, labels), on the CPU."""
    draws = torch.Generator().manual_seed(seed)
    return [(torch.randn(8, 4, generator=draws, dtype=torch.float64),
             torch.randint(0, 3, (8,), generator=draws)) for _ in range(steps)]


def train(model, optim, data, device: str = "cpu") -> list[float]:
    """One step of ``optim`` per batch of ``data`` (moved to ``device``), in train mode; the
    losses. (Written unlike the exercises' training loops, whose lines are answers that the
    student kit must not hold.)"""
    recorded: list[float] = []
    for features, labels in data:
        model.train(True)
        optim.zero_grad(set_to_none=True)
        value = F.cross_entropy(model(features.to(device)), labels.to(device))
        value.backward()
        optim.step()
        recorded.append(value.item())
    return recorded


# --- observing, in the child --------------------------------------------------------


def listing() -> list[str]:
    """The files under the working directory, by relative name."""
    return sorted(os.path.relpath(os.path.join(root, name))
                  for root, _, found in os.walk(".") for name in found)


def before_saving() -> list[str]:
    """The listing to compare against after the student's save: taken after one torch.save
    into memory, so that what torch sets up on a first save (a temporary folder under
    TMPDIR, which is the working directory here) is there already and is not counted."""
    torch.save({"warm": torch.zeros(1)}, io.BytesIO())
    return listing()


def written(before: list[str]) -> dict:
    """The files that appeared under the working directory since ``before`` (the student's):
    each one's bytes (a uint8 tensor), or its size when over ``MAX_FILE_BYTES``; at most
    ``MAX_FILES`` of them, how many there were, and ``before`` itself (the first
    ``MAX_LISTED`` names), so the parent sees what was left out."""
    seen = set(before)
    names = [name for name in listing() if name not in seen]
    files = {}
    for name in names[:MAX_FILES]:
        size = os.path.getsize(name)
        files[name] = size if size > MAX_FILE_BYTES else _read_bytes(name)
    return {"files": files, "count": len(names), "before": list(before[:MAX_LISTED])}


def _read_bytes(name: str) -> torch.Tensor:
    with open(name, "rb") as handle:
        data = bytearray(handle.read(MAX_FILE_BYTES))
    return (torch.frombuffer(data, dtype=torch.uint8) if data
            else torch.zeros(0, dtype=torch.uint8))


def restore(files: dict) -> None:
    """Write back files another child wrote (the parent relays their bytes)."""
    for name, data in files.items():
        os.makedirs(os.path.dirname(name) or ".", exist_ok=True)
        with open(name, "wb") as handle:
            handle.write(data)


def snapshot(value):
    """``value`` with every mapping made a plain dict (a state dict is an OrderedDict, which
    would come back to the parent as an opaque object) and every tensor copied to the CPU:
    later training steps change the live tensors in place."""
    if isinstance(value, Mapping):
        return {key: snapshot(item) for key, item in value.items()}
    if type(value) in (list, tuple):
        return type(value)(snapshot(item) for item in value)
    if isinstance(value, torch.Tensor):
        return value.detach().cpu().clone()
    return value


# --- the probes -----------------------------------------------------------------


def saving(module, kind: str, path: str, as_path: bool) -> dict:
    """save_checkpoint after two steps: the files it wrote (the parent reads them)."""
    model, optimizer = build(kind, seed=1)
    train(model, optimizer, batches()[:2])
    before = before_saving()
    module.save_checkpoint(model, optimizer, Path(path) if as_path else path)
    return written(before)


def stopping(module, kind: str, seed: int, data: list, device: str = "cpu") -> dict:
    """Training from ``seed`` on ``data``, then save_checkpoint: the losses and the files
    written. The parent draws ``seed`` and ``data`` afresh: only this child knows them."""
    model, optimizer = build(kind, seed, device=device)
    losses = train(model, optimizer, data, device)
    before = before_saving()
    module.save_checkpoint(model, optimizer, "resume.pt")
    return {"losses": losses, **written(before)}


def resuming(module, kind: str, files: dict, data: list, device: str = "cpu") -> dict:
    """In a fresh child, given only the files ``stopping`` wrote: load_checkpoint into a
    differently initialised model and a fresh optimizer (their state dicts and the model's
    mode right after), then train on ``data`` (the losses and the final state)."""
    restore(files)
    model, optimizer = build(kind, seed=5, device=device)  # other initial weights
    model.train(True)
    module.load_checkpoint(model, optimizer, "resume.pt")
    loaded = {"model": snapshot(model.state_dict()), "optimizer": snapshot(
        optimizer.state_dict()), "training": model.training}
    losses = train(model, optimizer, data, device)
    return {"losses": losses, "state": snapshot(model.state_dict()), "loaded": loaded,
            "devices": sorted({str(p.device) for p in model.parameters()})}


def malicious(module) -> dict:
    """load_checkpoint of the student's own save (it must work), then of the same file, or
    files, rewritten with torch.save to hold an object whose unpickling would run code
    (creating MARKER): wherever their save and load agree to put it."""
    model, optimizer = build("adam", seed=6)
    before = before_saving()
    module.save_checkpoint(model, optimizer, "checkpoint.pt")
    module.load_checkpoint(model, optimizer, "checkpoint.pt")  # errors here are the student's
    seen = set(before)
    planted = [name for name in listing() if name not in seen][:MAX_FILES]
    for name in planted:
        torch.save({"model": Payload(), "optimizer": {}}, name)
    try:
        module.load_checkpoint(model, optimizer, "checkpoint.pt")
        raised = None
    except Exception as error:
        raised = f"{type(error).__name__}: {str(error)[:200]}"
    return {"raised": raised, "ran": os.path.exists(MARKER), "planted": len(planted)}


def on_meta(module, kind: str) -> dict:
    """A save and a load with the model and optimizer on the meta device (no data anywhere)."""
    model, optimizer = build(kind, seed=7, device="meta")
    module.save_checkpoint(model, optimizer, "meta.pt")
    saved = sorted({str(p.device) for p in model.parameters()})
    fresh, fresh_optimizer = build(kind, seed=8, device="meta")
    module.load_checkpoint(fresh, fresh_optimizer, "meta.pt")
    loaded = sorted({str(p.device) for p in fresh.parameters()})
    return {"after_save": saved, "after_load": loaded}
