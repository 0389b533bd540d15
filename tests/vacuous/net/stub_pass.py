"""The stub with each `raise NotImplementedError` replaced by `pass`: no layers, None out."""

import torch  # noqa: F401
from torch import nn


def conv_output_size(size, kernel_size, stride=1, padding=0):
    pass


class Net(nn.Module):
    def __init__(self, in_channels=1, image_size=28, num_classes=10):
        super().__init__()

    def forward(self, x):
        pass
