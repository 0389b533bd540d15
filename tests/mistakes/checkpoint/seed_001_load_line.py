"""Copies seed 001's loading line, torch.load_state_dict(net.load(PATH)), calls inside out.

fails: load_restores_model
hint: has the calls inside out
"""

import torch


def save_checkpoint(model, optimizer, path):
    """Write ``{"model": ..., "optimizer": ...}`` state dicts to ``path`` with torch.save."""
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()}, path)


def load_checkpoint(model, optimizer, path):
    """Restore ``model`` and ``optimizer`` in place from ``path``, loading safely."""
    torch.load_state_dict(model.load(path))
    optimizer.load_state_dict(torch.load(path, weights_only=True)["optimizer"])
