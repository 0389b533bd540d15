"""Calls next(iter(self.dl)) for every batch: the loader restarts, so batch 0 every time.

fails: loader_order_and_values
hint: starts the loader afresh each time
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
        for _ in range(len(self.dl)):
            yield to_device(next(iter(self.dl)), self.device)

    def __len__(self):
        return len(self.dl)
