"""Assumes no GPU: get_default_device always returns torch.device("cpu") (right on a laptop).

On a machine without a GPU this looks right; the grader reports CUDA as available to see it.

fails: default_device
hint: always picks the CPU
"""

import torch


def get_default_device():
    return torch.device("cpu")


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
