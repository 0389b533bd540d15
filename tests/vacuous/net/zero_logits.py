"""Zero logits from the right layers: forward returns zeros of shape (batch, num_classes).

The review's example (23/32): the size formula and the four layers are as the contract asks;
forward computes nothing (zeros on x's device).

legit: conv_output_size_values, conv_output_size_returns_int, layers_default, layers_in_channels, layers_image_size, layers_num_classes -- conv_output_size and the four layers it sizes are written as the contract asks
"""

import torch
from torch import nn


def conv_output_size(size, kernel_size, stride=1, padding=0):
    return (size + 2 * padding - kernel_size) // stride + 1


class Net(nn.Module):
    def __init__(self, in_channels=1, image_size=28, num_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, 12, kernel_size=5, stride=1, padding=2)
        self.conv2 = nn.Conv2d(12, 20, kernel_size=5, stride=1, padding=2)
        size = image_size
        for _ in range(2):
            size = conv_output_size(conv_output_size(size, 5, 1, 2), 2, 2)
        self.fc1 = nn.Linear(20 * size * size, 200)
        self.fc2 = nn.Linear(200, num_classes)

    def forward(self, x):
        return torch.zeros(len(x), self.fc2.out_features, device=x.device)
