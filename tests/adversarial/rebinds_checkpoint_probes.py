"""Saves an empty file, loads nothing, and rebinds the checkpoint probes' helpers to match.

This is checkpoint.py, not mse.py. The old probes computed what they expected in
the child, with ``build``, ``train``, ``read_safely`` and ``_resumed_wrongly``:
with every model built from one seed, no training step taken and the file "read"
from the objects themselves, a save and a load that do nothing matched (all 18
points below; 20/24 with save_writes_file, which the empty file passes). Now
the child only observes: the parent trains its own twin of the run, sends the
checkpoint to load, reads the saved bytes itself, and resumes in a second child
that only gets the files the first one wrote.

exercise: checkpoint
checks: save_format, load_restores_model, load_restores_optimizer, resume_matches
score: 0
hint: torch.save(checkpoint, path) | model.load_state_dict | state was lost | both state dicts
"""

import graders.probes.checkpoint as probes

_build = probes.build
_seen = {}  # what save_checkpoint was given, "read back" by the fake read_safely


def _one_seed(kind, seed, *args, **kwargs):
    return _build(kind, 4, *args, **kwargs)  # the model to load into equals the saved one


def _no_steps(model, optimizer, batches, *args):
    return [0.0] * len(batches)  # "training that never stopped" takes no step either


def _read_from_memory(path):
    model, optimizer = _seen["objects"]
    return {"content": {"model": probes.plain(model.state_dict()),
                        "optimizer": probes.plain(optimizer.state_dict())},
            "error": None, "objects": False}


def _no_mistake(kind, before, mistake, device):
    return {}


probes.build = _one_seed
probes.train = _no_steps
probes.read_safely = _read_from_memory
probes._resumed_wrongly = _no_mistake
probes.files = lambda: ["./checkpoint.pt"]


def save_checkpoint(model, optimizer, path):
    """Writes an empty file; keeps the objects for the fake reader."""
    _seen["objects"] = (model, optimizer)
    open(path, "wb").close()


def load_checkpoint(model, optimizer, path):
    """Loads nothing."""
