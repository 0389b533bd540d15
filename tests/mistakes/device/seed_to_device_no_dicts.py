"""Seed 002's to_device, tuples kept as tuples: only lists/tuples and tensors, so dicts crash.

(The seed's list comprehension, which turns tuples into lists, is tuple_becomes_list.)

fails: to_device_dicts
hint: to_device does not handle dicts
"""

import torch


def get_default_device():
    """Pick GPU if available, else CPU"""
    if torch.cuda.is_available():
        return torch.device('cuda')
    else:  # noqa: RET505
        return torch.device('cpu')


def to_device(data, device):
    """Move tensor(s) to chosen device"""
    if isinstance(data, (list, tuple)):
        return type(data)(to_device(x, device) for x in data)
    return data.to(device, non_blocking=True)


class DeviceDataLoader():  # noqa: UP039
    """Wrap a dataloader to move data to a device"""
    def __init__(self, dl, device):
        self.dl = dl
        self.device = device

    def __iter__(self):
        """Yield a batch of data after moving it to device"""
        for b in self.dl:
            yield to_device(b, self.device)

    def __len__(self):
        """Number of batches"""
        return len(self.dl)
