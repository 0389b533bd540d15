"""Loads the model with load_state_dict(..., assign=True), as advice for meta-device loading
suggests: the model gets the loaded tensors as new parameters, which the caller's optimizer
does not hold, so training after the load never moves them.

fails: resume_matches
hint: The model did not learn after loading
"""

import torch


def save_checkpoint(model, optimizer, path):
    """Write ``{"model": ..., "optimizer": ...}`` state dicts to ``path`` with torch.save."""
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()}, path)


def load_checkpoint(model, optimizer, path):
    """Restore ``model`` and ``optimizer`` in place from ``path``, loading safely."""
    checkpoint = torch.load(path, weights_only=True)
    model.load_state_dict(checkpoint["model"], assign=True)
    optimizer.load_state_dict(checkpoint["optimizer"])
