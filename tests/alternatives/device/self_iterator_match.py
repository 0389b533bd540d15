"""Pattern matching in to_device; DeviceDataLoader is its own iterator, reset in __iter__."""

import torch
from torch import nn


def get_default_device():
    device = torch.device("cpu")
    if torch.cuda.device_count() > 0 and torch.cuda.is_available():
        device = torch.device("cuda")
    return device


def to_device(data, device):
    match data:
        case torch.Tensor() | nn.Module():
            return data.to(device=device)
        case list() | tuple():
            return type(data)(to_device(item, device) for item in data)
        case dict():
            return {key: to_device(data[key], device) for key in data}
        case _:
            return data


class DeviceDataLoader:
    def __init__(self, dl, device):
        self.dl = dl
        self.device = device
        self._batches = None

    def __iter__(self):
        self._batches = iter(self.dl)  # a fresh pass each epoch
        return self

    def __next__(self):
        batch = next(self._batches)  # StopIteration ends the loop
        return to_device(batch, self.device)

    def __len__(self):
        return len(self.dl)
