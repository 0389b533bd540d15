"""Appends ".pt" to the path when saving (and loading), so the file is not where the caller said.

fails: save_writes_file
hint: You added '.pt' to the path
"""

import torch


def save_checkpoint(model, optimizer, path):
    """Write ``{"model": ..., "optimizer": ...}`` state dicts to ``path`` with torch.save."""
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()}, f"{path}.pt")


def load_checkpoint(model, optimizer, path):
    """Restore ``model`` and ``optimizer`` in place from ``path``, loading safely."""
    checkpoint = torch.load(f"{path}.pt", weights_only=True)
    model.load_state_dict(checkpoint["model"])
    optimizer.load_state_dict(checkpoint["optimizer"])
