"""A separate iterator class with __next__; to_device with explicit branches per type."""

import torch
from torch import nn


def get_default_device():
    return torch.device("cuda") if torch.cuda.is_available() else torch.device("cpu")


def to_device(data, device):
    if isinstance(data, torch.Tensor):
        return data.to(device, non_blocking=True)
    if isinstance(data, nn.Module):
        data.to(device)  # in place
        return data
    if isinstance(data, list):
        return [to_device(item, device) for item in data]
    if isinstance(data, tuple):
        return tuple([to_device(item, device) for item in data])
    if isinstance(data, dict):
        moved = dict(data)  # a shallow copy, then move each value
        for key, value in data.items():
            moved[key] = to_device(value, device)
        return moved
    return data


class _MovingIterator:
    """One pass over a loader, moving each batch as it is asked for."""

    def __init__(self, batches, device):
        self.batches = batches
        self.device = device

    def __iter__(self):
        return self

    def __next__(self):
        return to_device(next(self.batches), self.device)


class DeviceDataLoader:
    def __init__(self, dl, device):
        self.dl = dl
        self.device = device

    def __iter__(self):
        return _MovingIterator(iter(self.dl), self.device)

    def __len__(self):
        return self.dl.__len__()
