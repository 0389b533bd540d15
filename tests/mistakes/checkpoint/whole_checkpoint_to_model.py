"""Passes the whole checkpoint dict to model.load_state_dict instead of checkpoint["model"].

fails: load_restores_model
hint: You passed the whole checkpoint to load_state_dict
"""

import torch


def save_checkpoint(model, optimizer, path):
    """Write ``{"model": ..., "optimizer": ...}`` state dicts to ``path`` with torch.save."""
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()}, path)


def load_checkpoint(model, optimizer, path):
    """Restore ``model`` and ``optimizer`` in place from ``path``, loading safely."""
    checkpoint = torch.load(path, weights_only=True)
    model.load_state_dict(checkpoint)
    optimizer.load_state_dict(checkpoint["optimizer"])
