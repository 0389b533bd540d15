"""fc1 is sized with conv_output_size, but forward keeps seed 001's x.view(-1, 20*7*7).

fails: forward_values
hint: 20*7*7
"""

import torch.nn.functional as F
from torch import nn


def conv_output_size(size, kernel_size, stride=1, padding=0):
    return (size + 2 * padding - kernel_size) // stride + 1


class Net(nn.Module):
    def __init__(self, in_channels=1, image_size=28, num_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, 12, kernel_size=5, stride=1, padding=2)
        self.conv2 = nn.Conv2d(12, 20, kernel_size=5, stride=1, padding=2)
        size = conv_output_size(image_size, 5, padding=2)
        size = conv_output_size(size, 2, stride=2)
        size = conv_output_size(size, 5, padding=2)
        size = conv_output_size(size, 2, stride=2)
        self.fc1 = nn.Linear(20 * size * size, 200)
        self.fc2 = nn.Linear(200, num_classes)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), kernel_size=2, stride=2)
        x = F.max_pool2d(F.relu(self.conv2(x)), kernel_size=2, stride=2)
        x = x.view(-1, 20 * 7 * 7)  # seed 001
        x = F.relu(self.fc1(x))
        return self.fc2(x)
