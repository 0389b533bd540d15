"""Draws "weights" with torch.rand (uniform on [0, 1)) instead of torch.randn (the
standard normal the docstring names): the right shape, dtype and gradient flag, and never
constant, so only the distribution check sees it.

fails: weights_standard_normal
hint: torch.rand draws uniformly from [0, 1)
"""

import torch


def make_tensors(device="cpu"):
    """The nine tensors of the table in the module docstring, on ``device``."""
    return {
        "zeros": torch.zeros(5, 3, device=device),
        "ones": torch.ones(2, 2, device=device, requires_grad=True),
        "weights": torch.rand(2, 3, device=device, requires_grad=True),
        "scalar": torch.tensor(3.0, device=device, requires_grad=True),
        "labels": torch.tensor([1, 2, 3], device=device),
        "counts": torch.tensor([1, 2, 3], dtype=torch.int32, device=device),
        "floats": torch.tensor([1.0, 2.0, 3.0], device=device),
        "steps": torch.arange(0, 2.5, 0.5, dtype=torch.float64, device=device),
        "identity": torch.eye(3, device=device),
    }


def share_memory(array):
    """A tensor over the same memory as the NumPy ``array``."""
    return torch.from_numpy(array)


def to_batch(image):
    """The ``(C, H, W)`` image as a ``(1, C, H, W)`` batch: a view, no copy."""
    return image.unsqueeze(0)


def flatten_features(batch):
    """``(N, d1, d2, ...)`` to ``(N, d1 * d2 * ...)``, keeping the batch dimension."""
    return batch.flatten(start_dim=1)
