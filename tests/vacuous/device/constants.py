"""Constants: always the CPU, a fixed tensor on the device for any data, and a loader that
yields as many fixed batches as dl has."""

import torch


def get_default_device():
    return torch.device("cpu")


def to_device(data, device):
    return torch.zeros(1, device=device)


class DeviceDataLoader:
    def __init__(self, dl, device):
        self.dl = dl
        self.device = device

    def __iter__(self):
        for _ in range(len(self.dl)):
            yield [torch.zeros(1, device=self.device),
                   torch.zeros(1, dtype=torch.int64, device=self.device)]

    def __len__(self):
        return len(self.dl)
