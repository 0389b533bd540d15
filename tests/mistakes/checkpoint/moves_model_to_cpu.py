"""Moves the model to the CPU before saving, to make the checkpoint portable: the caller's model
leaves its device.

fails: meta_device_untouched
hint: must not move the model
"""

import torch


def save_checkpoint(model, optimizer, path):
    """Write ``{"model": ..., "optimizer": ...}`` state dicts to ``path`` with torch.save."""
    model.cpu()
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()}, path)


def load_checkpoint(model, optimizer, path):
    """Restore ``model`` and ``optimizer`` in place from ``path``, loading safely."""
    checkpoint = torch.load(path, weights_only=True)
    model.load_state_dict(checkpoint["model"])
    optimizer.load_state_dict(checkpoint["optimizer"])
