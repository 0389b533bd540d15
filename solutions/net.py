"""Exercise 5: a small CNN for FashionMNIST (seed 001, "2. Building the network";
seed 002, "Convolutional Neural Network").

Seed 001's ``Net`` hard-codes its flatten size, ``x.view(-1, 20*7*7)``, which
is only right for 28x28 images. Here you compute that size instead, so the same
class works for any image size.

1. ``conv_output_size(size, kernel_size, stride=1, padding=0) -> int``: the
   height (or width) that a convolution or pooling layer outputs for an input
   of height (or width) ``size``, with seed 001's formula rounded down:

       (size + 2 * padding - kernel_size) // stride + 1

   It returns a Python ``int`` (floor division ``//``: the true division ``/``
   gives a float even when it divides evenly). Inputs satisfy
   ``size + 2 * padding >= kernel_size``; all arguments are non-negative ints
   and ``stride >= 1``. A 2x2 max-pool with stride 2 is the same formula:
   ``conv_output_size(size, 2, stride=2)`` (28 -> 14 -> 7; odd sizes round
   down, 13 -> 6).

2. ``Net(in_channels=1, image_size=28, num_classes=10)``, an ``nn.Module``
   for ``image_size`` x ``image_size`` images with ``in_channels`` channels,
   with exactly these four layers, stored under these attribute names:

   - ``conv1``: ``nn.Conv2d``, ``in_channels`` -> 12 filters, 5x5, stride 1,
     padding 2 (so it keeps the image size);
   - ``conv2``: ``nn.Conv2d``, 12 -> 20 filters, 5x5, stride 1, padding 2;
   - ``fc1``: ``nn.Linear``, ``20 * s * s`` -> 200 units, where ``s`` is the
     image size after conv1, a 2x2 max-pool (stride 2), conv2 and another 2x2
     max-pool, computed with ``conv_output_size`` (28 -> 7, 32 -> 8, 8 -> 2);
   - ``fc2``: ``nn.Linear``, 200 -> ``num_classes``.

   ``forward(x)`` takes a batch of shape ``(batch, in_channels, image_size,
   image_size)`` and applies conv1, ReLU, 2x2 max-pool, conv2, ReLU, 2x2
   max-pool, flatten each image, fc1, ReLU, fc2. It returns the raw logits,
   of shape ``(batch, num_classes)``, also for a batch of one image: no
   softmax (``nn.CrossEntropyLoss`` applies log-softmax itself), and keep the
   batch dimension when flattening. Everything stays in torch, on the input's
   device, and attached to the autograd graph.

   A layer may also be a block holding it (``self.conv1 = nn.Sequential(
   nn.Conv2d(...), nn.ReLU(), nn.MaxPool2d(2))``), as in seed 002's CNN,
   as long as ``conv1``, ``conv2``, ``fc1``, ``fc2`` each hold exactly one
   ``nn.Conv2d`` / ``nn.Linear`` and nothing else with parameters.
"""

import torch  # noqa: F401  (torch.flatten, torch.relu, ... are yours to use)
import torch.nn.functional as F
from torch import nn


def conv_output_size(size, kernel_size, stride=1, padding=0):
    """Output height/width of a convolution or pooling layer; see the module docstring."""
    ### BEGIN SOLUTION
    return (size + 2 * padding - kernel_size) // stride + 1
    ### END SOLUTION


class Net(nn.Module):
    """Seed 001's CNN, for any image size; see the module docstring."""

    def __init__(self, in_channels=1, image_size=28, num_classes=10):
        super().__init__()
        ### BEGIN SOLUTION
        self.conv1 = nn.Conv2d(in_channels, 12, kernel_size=5, stride=1, padding=2)
        self.conv2 = nn.Conv2d(12, 20, kernel_size=5, stride=1, padding=2)
        size = image_size
        for _ in range(2):  # each block: a 5x5 convolution, then a 2x2 max-pool
            size = conv_output_size(size, 5, stride=1, padding=2)
            size = conv_output_size(size, 2, stride=2)
        self.fc1 = nn.Linear(20 * size * size, 200)
        self.fc2 = nn.Linear(200, num_classes)
        ### END SOLUTION

    def forward(self, x):
        """Logits of shape ``(batch, num_classes)`` for images ``(batch, C, H, W)``."""
        ### BEGIN SOLUTION
        x = F.max_pool2d(F.relu(self.conv1(x)), kernel_size=2, stride=2)
        x = F.max_pool2d(F.relu(self.conv2(x)), kernel_size=2, stride=2)
        x = x.view(x.size(0), -1)  # keep the batch dimension, even for one image
        x = F.relu(self.fc1(x))
        return self.fc2(x)
        ### END SOLUTION
