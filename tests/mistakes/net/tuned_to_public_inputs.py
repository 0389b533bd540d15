"""fc1 sized from a table of the image sizes the public checks use: KeyError for any other.

The student looked up the flatten side for 28, 32, 8 and 26 pixels (the sizes the public
checks build) instead of computing it with conv_output_size, so Net raises for every other
image size.

fails: variant_network
hint: KeyError
"""

import torch.nn.functional as F
from torch import nn

# the side of the feature maps reaching fc1, for the image sizes the checks use
FLATTEN_SIDE = {28: 7, 32: 8, 8: 2, 26: 6}


def conv_output_size(size, kernel_size, stride=1, padding=0):
    return (size + 2 * padding - kernel_size) // stride + 1


class Net(nn.Module):
    def __init__(self, in_channels=1, image_size=28, num_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, 12, kernel_size=5, stride=1, padding=2)
        self.conv2 = nn.Conv2d(12, 20, kernel_size=5, stride=1, padding=2)
        size = FLATTEN_SIDE[image_size]
        self.fc1 = nn.Linear(20 * size * size, 200)
        self.fc2 = nn.Linear(200, num_classes)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), kernel_size=2, stride=2)
        x = F.max_pool2d(F.relu(self.conv2(x)), kernel_size=2, stride=2)
        x = x.view(x.size(0), -1)
        x = F.relu(self.fc1(x))
        return self.fc2(x)
