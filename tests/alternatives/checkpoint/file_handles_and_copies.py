"""Opens the file itself (torch.save and torch.load accept file objects), converts the path with
os.fspath, and loads copies of the state dicts in the other order.
"""

import copy
import os

import torch


def save_checkpoint(model, optimizer, path):
    """Write ``{"model": ..., "optimizer": ...}`` state dicts to ``path`` with torch.save."""
    with open(os.fspath(path), "wb") as handle:
        state = {}
        state["model"], state["optimizer"] = model.state_dict(), optimizer.state_dict()
        torch.save(state, handle)


def load_checkpoint(model, optimizer, path):
    """Restore ``model`` and ``optimizer`` in place from ``path``, loading safely."""
    with open(os.fspath(path), "rb") as handle:
        state = torch.load(handle, weights_only=True)
    optimizer.load_state_dict(copy.deepcopy(state["optimizer"]))
    model.load_state_dict(copy.deepcopy(state["model"]), strict=True)
