"""Writes the checkpoint with pickle, which torch.load cannot read.

fails: save_format
hint: Write the checkpoint with torch.save
"""

import pickle


def save_checkpoint(model, optimizer, path):
    """Write ``{"model": ..., "optimizer": ...}`` state dicts to ``path`` with torch.save."""
    with open(path, "wb") as handle:
        pickle.dump({"model": model.state_dict(), "optimizer": optimizer.state_dict()}, handle)


def load_checkpoint(model, optimizer, path):
    """Restore ``model`` and ``optimizer`` in place from ``path``, loading safely."""
    with open(path, "rb") as handle:
        checkpoint = pickle.load(handle)
    model.load_state_dict(checkpoint["model"])
    optimizer.load_state_dict(checkpoint["optimizer"])
