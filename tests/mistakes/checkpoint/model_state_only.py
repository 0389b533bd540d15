"""Saves only net.state_dict(), as seed 001 does, and loads it back: the optimizer starts over.

fails: save_format
hint: That is the model's state dict alone
"""

import torch


def save_checkpoint(model, optimizer, path):
    """Write ``{"model": ..., "optimizer": ...}`` state dicts to ``path`` with torch.save."""
    torch.save(model.state_dict(), path)


def load_checkpoint(model, optimizer, path):
    """Restore ``model`` and ``optimizer`` in place from ``path``, loading safely."""
    model.load_state_dict(torch.load(path, weights_only=True))
