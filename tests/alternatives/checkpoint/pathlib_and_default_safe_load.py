"""Goes through pathlib.Path and relies on torch.load's default, weights_only=True since torch
2.6, with an explicit allow-list check of the keys.
"""

from pathlib import Path

import torch


def save_checkpoint(model, optimizer, path):
    """Write ``{"model": ..., "optimizer": ...}`` state dicts to ``path`` with torch.save."""
    state = {"model": model.state_dict(), "optimizer": optimizer.state_dict()}
    torch.save(state, Path(path))


def load_checkpoint(model, optimizer, path):
    """Restore ``model`` and ``optimizer`` in place from ``path``, loading safely."""
    checkpoint = torch.load(Path(path))
    missing = {"model", "optimizer"} - set(checkpoint)
    if missing:
        raise KeyError(f"checkpoint lacks {sorted(missing)}")
    model.load_state_dict(checkpoint["model"])
    optimizer.load_state_dict(checkpoint["optimizer"])
