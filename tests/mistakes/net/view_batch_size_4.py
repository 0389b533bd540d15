"""Flattens with the training loop's batch size hard-coded, x.view(BATCH_SIZE, -1) with 4.

Right for batches of 4 (the values check's), wrong for any other batch size.

fails: forward_shape_28, forward_shape_other_sizes, forward_batch_of_one
hint: hard-coded size
"""

import torch.nn.functional as F
from torch import nn

BATCH_SIZE = 4  # the PyTorch classifier tutorial's


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
        x = F.max_pool2d(F.relu(self.conv1(x)), kernel_size=2, stride=2)
        x = F.max_pool2d(F.relu(self.conv2(x)), kernel_size=2, stride=2)
        x = x.view(BATCH_SIZE, -1)
        x = F.relu(self.fc1(x))
        return self.fc2(x)
