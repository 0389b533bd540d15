"""Create on the device, then .requires_grad_(); torch.asarray; view(1, ...); nn.Flatten."""

import torch
from torch import nn


def _trainable(tensor):
    # Created on its device first, so it stays a leaf when it starts to require grad.
    return tensor.requires_grad_()


def make_tensors(device="cpu"):
    device = torch.device(device)
    return {
        "zeros": torch.zeros(5, 3, dtype=torch.float32, device=device),
        "ones": _trainable(torch.ones(2, 2, device=device)),
        "weights": _trainable(torch.empty(2, 3, device=device).normal_()),
        "scalar": _trainable(torch.tensor(3.0, device=device)),
        "labels": torch.tensor([1, 2, 3], dtype=torch.int64, device=device),
        "counts": torch.tensor([1, 2, 3], device=device).int(),
        "floats": torch.tensor([1, 2, 3], dtype=torch.float32, device=device),
        "steps": torch.arange(5, dtype=torch.float64, device=device) / 2,
        "identity": torch.diag(torch.ones(3, device=device)),
    }


def share_memory(array):
    return torch.asarray(array)


def to_batch(image):
    return image.view(1, *image.shape)


def flatten_features(batch):
    return nn.Flatten()(batch)
