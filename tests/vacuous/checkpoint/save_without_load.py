"""Saves a correct checkpoint, then load_checkpoint only reads it back (safely) and returns
it, restoring nothing in place: a pass-through.

legit: save_format, save_writes_file -- the save is genuinely done: the right file at the path given, holding both state dicts
"""

import torch


def save_checkpoint(model, optimizer, path):
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()}, path)


def load_checkpoint(model, optimizer, path):
    return torch.load(path, weights_only=True)
