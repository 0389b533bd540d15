"""Checks its arguments and raises on bad input, otherwise returns None.

Validation without the work it guards earns nothing.
"""

import numpy as np
import torch


def make_tensors(device="cpu"):
    torch.device(device)  # raises on a bad device name
    return None


def share_memory(array):
    if not isinstance(array, np.ndarray):
        raise TypeError("share_memory needs a NumPy array")
    return None


def to_batch(image):
    if image.dim() != 3:
        raise ValueError("to_batch needs a (C, H, W) image")
    return None


def flatten_features(batch):
    if batch.dim() < 2:
        raise ValueError("flatten_features needs a batch of at least two dimensions")
    return None
