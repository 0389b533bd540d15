"""Pass-through: conv_output_size returns the size it is given, forward returns x untouched.

The layers are built with that size, so fc1 takes 20 * image_size ** 2 inputs.
"""

from torch import nn


def conv_output_size(size, kernel_size, stride=1, padding=0):
    return size


class Net(nn.Module):
    def __init__(self, in_channels=1, image_size=28, num_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, 12, kernel_size=5, stride=1, padding=2)
        self.conv2 = nn.Conv2d(12, 20, kernel_size=5, stride=1, padding=2)
        size = conv_output_size(image_size, 5, 1, 2)
        self.fc1 = nn.Linear(20 * size * size, 200)
        self.fc2 = nn.Linear(200, num_classes)

    def forward(self, x):
        return x
