"""Loads with weights_only=False, the forum fix for "Weights only load failed": any code in the
file runs.

fails: load_refuses_code
hint: Loading ran code from the file
"""

import torch


def save_checkpoint(model, optimizer, path):
    """Write ``{"model": ..., "optimizer": ...}`` state dicts to ``path`` with torch.save."""
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()}, path)


def load_checkpoint(model, optimizer, path):
    """Restore ``model`` and ``optimizer`` in place from ``path``, loading safely."""
    checkpoint = torch.load(path, weights_only=False)
    model.load_state_dict(checkpoint["model"])
    optimizer.load_state_dict(checkpoint["optimizer"])
