"""Moves only the images of each batch (batch[0]); the labels stay on the CPU.

fails: loader_moves_every_batch
hint: labels included
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
        for images, labels in self.dl:
            yield to_device(images, self.device), labels

    def __len__(self):
        return len(self.dl)
