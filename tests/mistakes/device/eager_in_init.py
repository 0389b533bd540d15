"""Moves every batch in __init__ (a list of moved batches): the whole dataset on the GPU.

fails: loader_is_lazy
hint: Moving the batches in __init__
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
        self.batches = [to_device(b, device) for b in dl]

    def __iter__(self):
        return iter(self.batches)

    def __len__(self):
        return len(self.batches)
