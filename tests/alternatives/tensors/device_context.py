"""`with torch.device(device):` around the factories; full, linspace, as_tensor, [None], reshape."""

import torch


def make_tensors(device="cpu"):
    with torch.device(device):  # every factory call below builds on `device`
        return {
            "zeros": torch.zeros((5, 3)),
            "ones": torch.full((2, 2), 1.0, requires_grad=True),
            "weights": torch.randn((2, 3), requires_grad=True),
            "scalar": torch.tensor(3.0, requires_grad=True),
            "labels": torch.tensor([1, 2, 3], dtype=torch.long),
            "counts": torch.arange(1, 4, dtype=torch.int32),
            "floats": torch.arange(1.0, 4.0),
            "steps": torch.linspace(0, 2, 5, dtype=torch.float64),
            "identity": torch.eye(3, 3),
        }


def share_memory(array):
    return torch.as_tensor(array)


def to_batch(image):
    return image[None]


def flatten_features(batch):
    return batch.reshape(batch.shape[0], -1)
