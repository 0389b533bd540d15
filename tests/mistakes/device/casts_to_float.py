"""Converts while moving, data.to(device, torch.float32): int64 labels become floats.

fails: to_device_tensors
hint: move with .to(device) only
"""

import torch


def get_default_device():
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def to_device(data, device):
    if isinstance(data, torch.Tensor):
        return data.to(device, torch.float32)
    if isinstance(data, torch.nn.Module):
        return data.to(device)
    if isinstance(data, (list, tuple)):
        return type(data)(to_device(x, device) for x in data)
    if isinstance(data, dict):
        return {k: to_device(v, device) for k, v in data.items()}
    return data


class DeviceDataLoader:
    def __init__(self, dl, device):
        self.dl = dl
        self.device = device

    def __iter__(self):
        for b in self.dl:
            yield to_device(b, self.device)

    def __len__(self):
        return len(self.dl)
