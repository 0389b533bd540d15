"""Writes to seed 001's fixed PATH, "checkpoint.pth", whatever path it is given.

fails: save_writes_file
hint: instead of the path it was given
"""

import torch


def save_checkpoint(model, optimizer, path):
    """Write ``{"model": ..., "optimizer": ...}`` state dicts to ``path`` with torch.save."""
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()}, "checkpoint.pth")


def load_checkpoint(model, optimizer, path):
    """Restore ``model`` and ``optimizer`` in place from ``path``, loading safely."""
    checkpoint = torch.load("checkpoint.pth", weights_only=True)
    model.load_state_dict(checkpoint["model"])
    optimizer.load_state_dict(checkpoint["optimizer"])
