"""Probes for the checkpoint exercise (run in the child, in its own empty working directory).

Every probe builds a small seeded classifier with a batch-norm layer (so its
state dict holds buffers, not only parameters) and an optimizer with state of
its own (Adam's running averages, or SGD's momentum buffers), trains it a few
steps, and returns state dicts and file listings as plain data. The parent
compares what the student's functions did with what the trusted probe code did
on the same objects. Files are written with relative paths, inside the
child's working directory.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

MARKER = "loaded-code-ran.txt"


class Payload:
    """Unpickling this object opens (creates) ``MARKER``: what a malicious checkpoint does."""

    def __reduce__(self):
        return (open, (MARKER, "w"))


def build(kind: str, seed: int, device: str = "cpu"):
    """A seeded model, its optimizer (``kind``: "adam" or "sgd") and fixed training batches."""
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(4, 6), nn.BatchNorm1d(6), nn.ReLU(), nn.Linear(6, 3))
    model.to(device)
    if kind == "adam":  # seed 001's optimizer
        optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    else:
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    generator = torch.Generator().manual_seed(100)
    batches = [(torch.randn(8, 4, generator=generator).to(device),
                torch.randint(0, 3, (8,), generator=generator).to(device)) for _ in range(6)]
    return model, optimizer, batches


def train(model, optimizer, batches) -> list[float]:
    """One optimizer step per batch, in train mode; the losses."""
    losses = []
    for x, y in batches:
        model.train()
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


def files() -> list[str]:
    """Every file under the working directory, as relative paths."""
    return sorted(str(Path(root, name)) for root, _, names in os.walk(".") for name in names)


def plain(value):
    """``value`` with every mapping made a plain dict (a state dict is an OrderedDict, which
    would come back to the parent as an opaque object)."""
    if isinstance(value, Mapping):
        return {key: plain(item) for key, item in value.items()}
    if type(value) in (list, tuple):
        return type(value)(plain(item) for item in value)
    return value


def read_safely(path) -> dict:
    """What a safe loader finds in the file at ``path``: its content, or why it refused."""
    try:
        return {"content": plain(torch.load(path, weights_only=True)), "error": None,
                "objects": False}
    except Exception as error:
        # "Unsupported global": the file pickles objects (a module, an optimizer), not tensors.
        return {"content": None, "error": f"{type(error).__name__}: {str(error)[:300]}",
                "objects": "GLOBAL" in str(error)}


# --- the probes -----------------------------------------------------------------


def saving(module, kind: str, path: str, as_path: bool) -> dict:
    """save_checkpoint after two steps: the files it wrote and what a safe loader reads."""
    model, optimizer, batches = build(kind, seed=1)
    train(model, optimizer, batches[:2])
    module.save_checkpoint(model, optimizer, Path(path) if as_path else path)
    return {"files": files(), "read": read_safely(path) if os.path.isfile(path) else None,
            "model": plain(model.state_dict()), "optimizer": plain(optimizer.state_dict())}


def loading(module, kind: str) -> dict:
    """load_checkpoint of a file the probe wrote, into a fresh model and optimizer."""
    source, source_optimizer, batches = build(kind, seed=2)
    train(source, source_optimizer, batches[:3])
    torch.save({"model": source.state_dict(), "optimizer": source_optimizer.state_dict()},
               "saved.pt")
    model, optimizer, _ = build(kind, seed=3)
    model.train()
    returned = module.load_checkpoint(model, optimizer, "saved.pt")
    return {"expected_model": plain(source.state_dict()), "model": plain(model.state_dict()),
            "expected_optimizer": plain(source_optimizer.state_dict()),
            "optimizer": plain(optimizer.state_dict()), "training": model.training,
            "returned": type(returned).__name__}


def resuming(module, kind: str, before: int, device: str = "cpu") -> dict:
    """Training that stops after ``before`` steps and resumes, against training that never stops."""
    model, optimizer, batches = build(kind, seed=4, device=device)
    straight = train(model, optimizer, batches)
    expected = model.state_dict()
    model, optimizer, _ = build(kind, seed=4, device=device)
    first = train(model, optimizer, batches[:before])
    module.save_checkpoint(model, optimizer, "resume.pt")
    model, optimizer, _ = build(kind, seed=5, device=device)  # other initial weights
    module.load_checkpoint(model, optimizer, "resume.pt")
    resumed = first + train(model, optimizer, batches[before:])
    return {"expected_losses": straight, "losses": resumed,
            "expected": _cpu(expected), "state": _cpu(model.state_dict()),
            "devices": sorted({str(p.device) for p in model.parameters()}),
            "mistakes": {name: _resumed_wrongly(kind, before, name, device)
                         for name in ("fresh optimizer", "fresh model")}}


def _cpu(state: dict) -> dict:
    return {key: value.cpu() for key, value in state.items()}


def _resumed_wrongly(kind: str, before: int, mistake: str, device: str) -> dict:
    """The state a resume reaches when it restores only one of the two state dicts."""
    model, optimizer, batches = build(kind, seed=4, device=device)
    train(model, optimizer, batches[:before])
    saved = {"model": model.state_dict(), "optimizer": optimizer.state_dict()}
    model, optimizer, _ = build(kind, seed=5, device=device)
    if mistake != "fresh model":
        model.load_state_dict(saved["model"])
    if mistake != "fresh optimizer":
        optimizer.load_state_dict(saved["optimizer"])
    train(model, optimizer, batches[before:])
    return _cpu(model.state_dict())


def malicious(module) -> dict:
    """load_checkpoint on a good file (it must work), then on a file whose unpickling would
    run code (creating MARKER)."""
    model, optimizer, _ = build("adam", seed=6)
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()}, "good.pt")
    module.load_checkpoint(model, optimizer, "good.pt")  # errors here are the student's
    torch.save({"model": Payload(), "optimizer": {}}, "checkpoint.pt")
    try:
        module.load_checkpoint(model, optimizer, "checkpoint.pt")
        raised = None
    except Exception as error:
        raised = f"{type(error).__name__}: {str(error)[:200]}"
    return {"raised": raised, "ran": os.path.exists(MARKER)}


def on_meta(module, kind: str) -> dict:
    """A save and a load with the model and optimizer on the meta device (no data anywhere)."""
    model, optimizer, _ = build(kind, seed=7, device="meta")
    module.save_checkpoint(model, optimizer, "meta.pt")
    saved = sorted({str(p.device) for p in model.parameters()})
    fresh, fresh_optimizer, _ = build(kind, seed=8, device="meta")
    module.load_checkpoint(fresh, fresh_optimizer, "meta.pt")
    loaded = sorted({str(p.device) for p in fresh.parameters()})
    return {"after_save": saved, "after_load": loaded}
