"""Calls data.to(device, non_blocking=True) but returns the original: tensors never move.

(Module.to works in place, Tensor.to does not; the student assumed both do.)

fails: to_device_tensors
hint: Tensor.to returns a new, moved tensor
"""

import torch


def get_default_device():
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def to_device(data, device):
    if isinstance(data, (list, tuple)):
        return type(data)(to_device(x, device) for x in data)
    if isinstance(data, dict):
        return {k: to_device(v, device) for k, v in data.items()}
    if isinstance(data, (torch.Tensor, torch.nn.Module)):
        data.to(device, non_blocking=True)
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
