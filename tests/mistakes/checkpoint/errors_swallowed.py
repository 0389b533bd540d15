"""Catches every loading error and carries on with the model as it was.

fails: load_refuses_code
hint: Do not catch the loader's error
"""

import torch


def save_checkpoint(model, optimizer, path):
    """Write ``{"model": ..., "optimizer": ...}`` state dicts to ``path`` with torch.save."""
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()}, path)


def load_checkpoint(model, optimizer, path):
    """Restore ``model`` and ``optimizer`` in place from ``path``, loading safely."""
    try:
        checkpoint = torch.load(path, weights_only=True)
    except Exception as error:
        print(f"could not load {path}: {error}")
        return
    model.load_state_dict(checkpoint["model"])
    optimizer.load_state_dict(checkpoint["optimizer"])
