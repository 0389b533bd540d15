"""torch.tensor(3, requires_grad=True): an int64 tensor cannot require gradients (crash).

fails: make_tensors_keys, make_tensors_shapes, make_tensors_values
hint: only floating point tensors can require gradients
"""

import torch


def make_tensors(device="cpu"):
    return {
        "zeros": torch.zeros(5, 3, device=device),
        "ones": torch.ones(2, 2, device=device, requires_grad=True),
        "weights": torch.randn(2, 3, device=device, requires_grad=True),
        "scalar": torch.tensor(3, device=device, requires_grad=True),
        "labels": torch.tensor([1, 2, 3], device=device),
        "counts": torch.tensor([1, 2, 3], dtype=torch.int32, device=device),
        "floats": torch.tensor([1.0, 2.0, 3.0], device=device),
        "steps": torch.arange(0, 2.5, 0.5, dtype=torch.float64, device=device),
        "identity": torch.eye(3, device=device),
    }


def share_memory(array):
    return torch.from_numpy(array)


def to_batch(image):
    return image.unsqueeze(0)


def flatten_features(batch):
    return batch.flatten(start_dim=1)
