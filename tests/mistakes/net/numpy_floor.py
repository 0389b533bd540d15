"""Rounds down with np.floor after a true division: the sizes are right, but a NumPy float.

Net converts with int() where nn.Linear needs it, so only the type is wrong.

fails: conv_output_size_returns_int
hint: returns a float
"""

import numpy as np
import torch.nn.functional as F
from torch import nn


def conv_output_size(size, kernel_size, stride=1, padding=0):
    return np.floor((size + 2 * padding - kernel_size) / stride) + 1


class Net(nn.Module):
    def __init__(self, in_channels=1, image_size=28, num_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, 12, kernel_size=5, stride=1, padding=2)
        self.conv2 = nn.Conv2d(12, 20, kernel_size=5, stride=1, padding=2)
        size = image_size
        for _ in range(2):
            size = conv_output_size(conv_output_size(size, 5, 1, 2), 2, 2)
        self.fc1 = nn.Linear(int(20 * size * size), 200)
        self.fc2 = nn.Linear(200, num_classes)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), kernel_size=2, stride=2)
        x = F.max_pool2d(F.relu(self.conv2(x)), kernel_size=2, stride=2)
        x = x.view(x.size(0), -1)
        x = F.relu(self.fc1(x))
        return self.fc2(x)
