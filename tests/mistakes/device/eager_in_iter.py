"""Moves every batch into a list in __iter__ before yielding the first one.

fails: loader_is_lazy
hint: moves every batch before yielding the first
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
        self.device = device

    def __iter__(self):
        moved = [to_device(b, self.device) for b in self.dl]
        yield from moved

    def __len__(self):
        return len(self.dl)
