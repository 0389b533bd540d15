"""Checks its arguments and raises ValueError on bad input, otherwise returns None.

conv_output_size only validates; Net holds the right layers (sized inline) and its forward
only checks the input's shape.
"""

from torch import nn


def conv_output_size(size, kernel_size, stride=1, padding=0):
    if size + 2 * padding < kernel_size or stride < 1:
        raise ValueError("the kernel does not fit the padded input")
    return None


class Net(nn.Module):
    def __init__(self, in_channels=1, image_size=28, num_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, 12, kernel_size=5, stride=1, padding=2)
        self.conv2 = nn.Conv2d(12, 20, kernel_size=5, stride=1, padding=2)
        size = image_size // 2 // 2
        self.fc1 = nn.Linear(20 * size * size, 200)
        self.fc2 = nn.Linear(200, num_classes)

    def forward(self, x):
        if x.dim() != 4:
            raise ValueError("expected a batch of images (batch, channels, height, width)")
        return None
