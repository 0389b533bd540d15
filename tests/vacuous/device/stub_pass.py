"""The scaffold with every `raise NotImplementedError` replaced by `pass`.

Nothing is done, so nothing may pay.
"""

import torch  # noqa: F401
from torch import nn  # noqa: F401


def get_default_device():
    pass


def to_device(data, device):
    pass


class DeviceDataLoader:
    def __init__(self, dl, device):
        pass

    def __iter__(self):
        pass

    def __len__(self):
        pass
