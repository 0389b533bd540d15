"""padding="same", torch.flatten(x, 1), torch.relu, and the sizes traced layer by layer."""

import torch
from torch import nn
from torch.nn import functional as F


def conv_output_size(size, kernel_size, stride=1, padding=0):
    out = size + 2 * padding - kernel_size
    return out // stride + 1


class Net(nn.Module):
    def __init__(self, in_channels=1, image_size=28, num_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, 12, 5, padding="same")
        self.conv2 = nn.Conv2d(12, 20, 5, padding="same")
        size = image_size
        for kernel, stride, padding in [(5, 1, 2), (2, 2, 0), (5, 1, 2), (2, 2, 0)]:
            size = conv_output_size(size, kernel, stride, padding)
        self.fc1 = nn.Linear(20 * size * size, 200)
        self.fc2 = nn.Linear(200, num_classes)

    def forward(self, x):
        x = F.max_pool2d(torch.relu(self.conv1(x)), 2)
        x = F.max_pool2d(torch.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        return self.fc2(torch.relu(self.fc1(x)))
