"""The reference functions in a module that keeps a scratch folder under TMPDIR, made at
import (torch 2.6 makes one like it): TMPDIR is the probe's working directory, so the folder
and its file are there before the save, and they are not the student's checkpoint.
"""

import os
import tempfile

import torch

SCRATCH = tempfile.mkdtemp(prefix="scratch-", dir=os.environ.get("TMPDIR"))
with open(os.path.join(SCRATCH, "notes.txt"), "w") as handle:
    handle.write("made at import, not by save_checkpoint\n")


def save_checkpoint(model, optimizer, path):
    """Write ``{"model": ..., "optimizer": ...}`` state dicts to ``path`` with torch.save."""
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()}, path)


def load_checkpoint(model, optimizer, path):
    """Restore ``model`` and ``optimizer`` in place from ``path``, loading safely."""
    checkpoint = torch.load(path, weights_only=True)
    model.load_state_dict(checkpoint["model"])
    optimizer.load_state_dict(checkpoint["optimizer"])
