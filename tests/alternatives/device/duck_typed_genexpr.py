"""Duck typing (hasattr(data, "to")) and a generator expression returned from __iter__."""

import torch


def get_default_device():
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def to_device(data, device):
    if hasattr(data, "to") and callable(data.to):
        return data.to(device)
    if isinstance(data, (list, tuple)):
        moved = [to_device(item, device) for item in data]
        return moved if isinstance(data, list) else tuple(moved)
    if isinstance(data, dict):
        return {key: to_device(value, device) for key, value in data.items()}
    return data


class DeviceDataLoader:
    def __init__(self, dl, device):
        self.dl = dl
        self.device = device

    def __iter__(self):
        return (to_device(batch, self.device) for batch in self.dl)

    def __len__(self):
        return len(self.dl)
