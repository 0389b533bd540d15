"""Copies where it must share memory, and rebinds the probes' storage helpers to say "shared".

This is tensors.py, not mse.py. The old probes decided "shares storage" in the
child with ``_same_storage``; rebinding it made every copy a view (3 points).
Now the child only observes: the addresses (``_address``, faked here to be all
equal) and, read inline from the student's own objects, what each one holds
after a write into the other, which the parent compares with its own reference.

exercise: tensors
checks: share_memory_writes_show_through, to_batch_is_view, flatten_features_no_copy
score: 0
hint: It is a copy | copy the pixels | can be flattened without copying
"""

import torch

import graders.probes.tensors as probes

probes._same_storage = lambda a, b: True
probes._address = lambda value: 0  # every storage at one address


def make_tensors(device="cpu"):
    """Not graded here."""
    return {}


def share_memory(array):
    """A copy: torch.tensor always copies."""
    return torch.tensor(array)


def to_batch(image):
    """A copy with the batch axis in front."""
    return image.clone().unsqueeze(0)


def flatten_features(batch):
    """A flattened copy."""
    return batch.reshape(len(batch), -1).clone()
