"""An nn.Flatten attribute, sizes computed by a helper, super(Net, self) as in seed 001."""

import torch.nn.functional as F
from torch import nn


def conv_output_size(size, kernel_size, stride=1, padding=0):
    return (size - kernel_size + 2 * padding) // stride + 1


def _flat_features(image_size, channels=20):
    """Two (5x5 conv with padding 2, 2x2 max-pool) blocks."""
    for _ in range(2):
        image_size = conv_output_size(image_size, kernel_size=5, stride=1, padding=2)
        image_size = conv_output_size(image_size, kernel_size=2, stride=2)
    return channels * image_size * image_size


class Net(nn.Module):
    def __init__(self, in_channels=1, image_size=28, num_classes=10):
        super(Net, self).__init__()  # noqa: UP008 (seed 001's spelling)
        self.conv1 = nn.Conv2d(in_channels, 12, kernel_size=5, padding=2, stride=1)
        self.conv2 = nn.Conv2d(12, 20, kernel_size=5, padding=2, stride=1)
        self.flatten = nn.Flatten()
        self.fc1 = nn.Linear(_flat_features(image_size), 200, bias=True)
        self.fc2 = nn.Linear(200, num_classes, bias=True)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), kernel_size=2, stride=2)
        x = F.max_pool2d(F.relu(self.conv2(x)), kernel_size=2, stride=2)
        x = F.relu(self.fc1(self.flatten(x)))
        return self.fc2(x)
