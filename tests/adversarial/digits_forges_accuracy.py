"""A digits.py that trains nothing, and rebinds the probe's accuracy helper and torch.equal.

The child used to measure the validation accuracy with ``graders.probes.digits.accuracy``
and compare the seeded runs with ``torch.equal``, both reachable from student code: an
untrained, unseeded Net then earned the accuracy and reproducibility points. The child
now only sends the trained state dicts; the parent loads them into the reference Net,
measures the accuracy on its own validation split and compares the runs itself.

exercise: digits
checks: training_accuracy, training_reproducible
score: 0
hint: Check the recipe | Call torch.manual_seed(seed)
"""

import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, TensorDataset, random_split

import graders.probes.digits as probes

EPOCHS = 4


def _yes(*args, **kwargs):
    return True


probes.accuracy = lambda *args, **kwargs: 1.0  # what the child used to report
torch.equal = torch.Tensor.equal = _yes  # what the child used to compare runs with


class Net(nn.Module):
    """The exercise's Net(1, 8, 10), so that only the training is missing."""

    def __init__(self, in_channels=1, image_size=8, num_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, 12, 5, padding=2)
        self.conv2 = nn.Conv2d(12, 20, 5, padding=2)
        self.fc1 = nn.Linear(20 * (image_size // 4) ** 2, 200)
        self.fc2 = nn.Linear(200, num_classes)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return self.fc2(F.relu(self.fc1(x.flatten(1))))


def train_digits(epochs=EPOCHS, seed=0):
    """No seed, no training: fresh random weights and a history of the right length."""
    history = {"train_loss": [2.3] * epochs, "val_loss": [2.3] * epochs}
    return Net(), history


def load_digits_dataset():
    from sklearn.datasets import load_digits

    digits = load_digits()
    images = torch.tensor(digits.images, dtype=torch.float32).unsqueeze(1) / 16
    return TensorDataset(images, torch.tensor(digits.target))


def make_digits_loaders(seed=0):
    data = load_digits_dataset()
    train, val = random_split(data, [1438, 359], generator=torch.Generator().manual_seed(seed))
    return DataLoader(train, batch_size=32, shuffle=True), DataLoader(val, batch_size=32)


def predict(model, images):
    raise NotImplementedError
