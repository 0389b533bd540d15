"""Reads the file with the safe loader (so a malicious file raises) and restores nothing; the
save writes the right keys with nothing in them.

Refusing code is a property of a load that loads: a load that only reads earns nothing.
"""

import torch


def save_checkpoint(model, optimizer, path):
    torch.save({"model": None, "optimizer": None}, path)


def load_checkpoint(model, optimizer, path):
    torch.load(path, weights_only=True)
