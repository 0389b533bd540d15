"""Assumes a GPU: get_default_device always returns torch.device('cuda').

fails: default_device
hint: Don't assume a GPU
"""

import torch


def get_default_device():
    return torch.device("cuda")


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
        for b in self.dl:
            yield to_device(b, self.device)

    def __len__(self):
        return len(self.dl)
