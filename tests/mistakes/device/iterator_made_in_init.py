"""Calls iter(dl) once in __init__: the second epoch gets no batches.

fails: loader_reiterable
hint: used up after one epoch
"""

import torch


def get_default_device():
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def to_device(data, device):
    if isinstance(data, (torch.Tensor, torch.nn.Module)):
        return data.to(device)
    if isinstance(data, (list, tuple)):
        return type(data)(to_device(x, device) for x in data)
    if isinstance(data, dict):
        return {k: to_device(v, device) for k, v in data.items()}
    return data


class DeviceDataLoader:
    def __init__(self, dl, device):
        self.dl = dl
        self.batches = iter(dl)
        self.device = device

    def __iter__(self):
        return self

    def __next__(self):
        return to_device(next(self.batches), self.device)

    def __len__(self):
        return len(self.dl)
