"""Values built with NumPy then moved (only tensors that need no grad), reshape and view."""

import numpy as np
import torch


def make_tensors(device="cpu"):
    tensors = {
        "zeros": torch.from_numpy(np.zeros((5, 3), dtype=np.float32)),
        "labels": torch.from_numpy(np.array([1, 2, 3], dtype=np.int64)),
        "counts": torch.from_numpy(np.array([1, 2, 3], dtype=np.int32)),
        "floats": torch.from_numpy(np.array([1.0, 2.0, 3.0], dtype=np.float32)),
        "steps": torch.from_numpy(np.arange(0, 2.5, 0.5)),
        "identity": torch.from_numpy(np.eye(3, dtype=np.float32)),
    }
    tensors = {key: value.to(device) for key, value in tensors.items()}
    # Tensors that require grad are made on the device directly, so they are leaves.
    tensors["ones"] = torch.ones(2, 2, device=device, requires_grad=True)
    tensors["weights"] = torch.randn(2, 3, device=device, requires_grad=True)
    tensors["scalar"] = torch.tensor(3.0, device=device, requires_grad=True)
    return tensors


def share_memory(array):
    tensor = torch.from_numpy(array)
    assert tensor.data_ptr() == array.ctypes.data
    return tensor


def to_batch(image):
    return torch.unsqueeze(image, dim=0)


def flatten_features(batch):
    if batch.is_contiguous():
        return batch.view(len(batch), -1)
    return batch.reshape(len(batch), -1)
