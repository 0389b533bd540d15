"""The yield is indented under the function, not the loop: only the last batch comes out.

fails: loader_moves_every_batch
hint: Put the yield inside the for loop
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
        for b in self.dl:
            batch = to_device(b, self.device)
        yield batch

    def __len__(self):
        return len(self.dl)
