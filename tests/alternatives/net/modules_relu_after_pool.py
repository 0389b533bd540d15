"""nn.ReLU / nn.MaxPool2d modules, ReLU after the pooling (they commute), reshape, math.floor."""

import math

from torch import nn


def conv_output_size(size, kernel_size, stride=1, padding=0):
    return math.floor((size + 2 * padding - kernel_size) / stride) + 1


class Net(nn.Module):
    def __init__(self, in_channels=1, image_size=28, num_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels=in_channels, out_channels=12, kernel_size=5,
                               padding=2, stride=1)
        self.conv2 = nn.Conv2d(in_channels=12, out_channels=20, kernel_size=5, padding=2,
                               stride=1)
        self.pool = nn.MaxPool2d(kernel_size=2, stride=2)
        self.relu = nn.ReLU()
        after_first = conv_output_size(conv_output_size(image_size, 5, 1, 2), 2, 2)
        after_second = conv_output_size(conv_output_size(after_first, 5, 1, 2), 2, 2)
        self.fc1 = nn.Linear(in_features=20 * after_second**2, out_features=200)
        self.fc2 = nn.Linear(in_features=200, out_features=num_classes)

    def forward(self, x):
        x = self.relu(self.pool(self.conv1(x)))
        x = self.relu(self.pool(self.conv2(x)))
        x = x.reshape(x.size(0), -1)
        return self.fc2(self.relu(self.fc1(x)))
