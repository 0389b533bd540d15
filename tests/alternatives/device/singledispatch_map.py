"""functools.singledispatch for to_device, and a lazy map() over the loader in __iter__."""

import functools

import torch
from torch import nn


def get_default_device():
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


@functools.singledispatch
def to_device(data, device):
    return data  # anything we do not know how to move stays as it is


@to_device.register(torch.Tensor)
@to_device.register(nn.Module)
def _(data, device):
    return data.to(device)


@to_device.register(list)
@to_device.register(tuple)
def _(data, device):
    return type(data)(map(functools.partial(to_device, device=device), data))


@to_device.register(dict)
def _(data, device):
    return {key: to_device(value, device) for key, value in data.items()}


class DeviceDataLoader:
    def __init__(self, dl, device):
        self.dl, self.device = dl, device

    def __iter__(self):
        return map(functools.partial(to_device, device=self.device), self.dl)

    def __len__(self):
        return len(self.dl)
