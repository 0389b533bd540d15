"""Seed 002's style: each attribute is an nn.Sequential block (conv, ReLU, max-pool), nn.Flatten."""

from torch import nn


def conv_output_size(size, kernel_size, stride=1, padding=0):
    return int((size + 2 * padding - kernel_size) / stride) + 1  # truncation = floor here


def _block(in_channels, out_channels):
    return nn.Sequential(
        nn.Conv2d(in_channels, out_channels, kernel_size=5, padding=2),
        nn.ReLU(),
        nn.MaxPool2d(2, 2),
    )


class Net(nn.Module):
    def __init__(self, in_channels=1, image_size=28, num_classes=10):
        super().__init__()
        self.conv1 = _block(in_channels, 12)
        self.conv2 = _block(12, 20)
        side = image_size
        for _ in range(2):
            side = conv_output_size(conv_output_size(side, 5, 1, 2), 2, 2)
        self.fc1 = nn.Sequential(nn.Flatten(), nn.Linear(20 * side * side, 200), nn.ReLU())
        self.fc2 = nn.Linear(200, num_classes)

    def forward(self, xb):
        return self.fc2(self.fc1(self.conv2(self.conv1(xb))))
