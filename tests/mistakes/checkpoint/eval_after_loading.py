"""Calls model.eval() after loading, as seed 001 does before testing: a resumed run trains in
eval mode.

fails: load_keeps_mode
hint: load_checkpoint called model.eval()
"""

import torch


def save_checkpoint(model, optimizer, path):
    """Write ``{"model": ..., "optimizer": ...}`` state dicts to ``path`` with torch.save."""
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()}, path)


def load_checkpoint(model, optimizer, path):
    """Restore ``model`` and ``optimizer`` in place from ``path``, loading safely."""
    checkpoint = torch.load(path, weights_only=True)
    model.load_state_dict(checkpoint["model"])
    optimizer.load_state_dict(checkpoint["optimizer"])
    model.eval()
