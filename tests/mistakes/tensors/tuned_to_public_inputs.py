"""to_batch takes any image whose first axis is not 1 or 3 channels for (H, W, C) and permutes it.

Right for the public checks' gray (1 channel) and RGB (3 channel) images only: the student
assumed that every image is gray or RGB, so a (C, H, W) image with 2, 4 or 5 channels is
permuted to (W, C, H) before the batch axis goes in front.

fails: variant_reshaping
hint: Add one axis of size 1 in front
"""

import torch


def make_tensors(device="cpu"):
    """The nine tensors of the table in the module docstring, on ``device``."""
    return {
        "zeros": torch.zeros(5, 3, device=device),
        "ones": torch.ones(2, 2, device=device, requires_grad=True),
        "weights": torch.randn(2, 3, device=device, requires_grad=True),
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
    # The images are gray (1 channel) or RGB (3): anything else is an (H, W, C) image, as
    # imshow wants them, so put its channels first before adding the batch axis.
    if image.shape[0] not in (1, 3):
        image = image.permute(2, 0, 1)
    return image.unsqueeze(0)


def flatten_features(batch):
    """``(N, d1, d2, ...)`` to ``(N, d1 * d2 * ...)``, keeping the batch dimension."""
    return batch.flatten(start_dim=1)
