"""Builds every tensor on the default CPU and ignores the device argument.

fails: make_tensors_meta
hint: Build every tensor on the device argument
"""

import torch


def make_tensors(device="cpu"):
    return {
        "zeros": torch.zeros(5, 3),
        "ones": torch.ones(2, 2, requires_grad=True),
        "weights": torch.randn(2, 3, requires_grad=True),
        "scalar": torch.tensor(3.0, requires_grad=True),
        "labels": torch.tensor([1, 2, 3]),
        "counts": torch.tensor([1, 2, 3], dtype=torch.int32),
        "floats": torch.tensor([1.0, 2.0, 3.0]),
        "steps": torch.arange(0, 2.5, 0.5, dtype=torch.float64),
        "identity": torch.eye(3),
    }


def share_memory(array):
    return torch.from_numpy(array)


def to_batch(image):
    return image.unsqueeze(0)


def flatten_features(batch):
    return batch.flatten(start_dim=1)
