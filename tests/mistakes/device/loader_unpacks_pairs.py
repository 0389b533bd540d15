"""The loader unpacks each batch into (images, labels): dict batches fall apart.

fails: loader_dict_batches
hint: unpacking it into
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
            yield to_device(images, self.device), to_device(labels, self.device)

    def __len__(self):
        return len(self.dl)
