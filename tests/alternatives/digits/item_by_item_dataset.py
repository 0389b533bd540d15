"""A Dataset class of its own that converts one NumPy digit per item, and a predict decorated
with @torch.no_grad() that takes the argmax of the softmax probabilities.
"""

import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import Dataset

from .dataset import make_loaders
from .net import Net
from .training import fit

EPOCHS = 4
BATCH_SIZE = 32
LEARNING_RATE = 0.003
VAL_FRACTION = 0.2


class DigitImages(Dataset):
    """One (1, 8, 8) float32 image in [0, 1] and its int64 label per index."""

    def __init__(self, images, targets):
        self.images, self.targets = images, targets

    def __len__(self):
        return len(self.targets)

    def __getitem__(self, index):
        image = torch.tensor(self.images[index][None] / 16.0, dtype=torch.float32)
        return image, torch.tensor(self.targets[index], dtype=torch.int64)


def load_digits_dataset():
    """The 1797 digits as ``(image (1, 8, 8) float32 in [0, 1], label int64)`` pairs."""
    # Imported here, not at the top: scikit-learn takes seconds to import.
    from sklearn.datasets import load_digits

    digits = load_digits()
    return DigitImages(digits.images, digits.target)


def make_digits_loaders(seed=0):
    """``(train_loader, val_loader)`` over the digits, split with ``seed``."""
    return make_loaders(load_digits_dataset(), val_fraction=VAL_FRACTION,
                        batch_size=BATCH_SIZE, seed=seed)


def train_digits(epochs=EPOCHS, seed=0):
    """Train ``Net(1, 8, 10)`` on the digits; returns ``(model, history)``."""
    torch.manual_seed(seed)
    model = Net(in_channels=1, image_size=8, num_classes=10)
    train_loader, val_loader = make_digits_loaders(seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    history = fit(model, nn.CrossEntropyLoss(), optimizer, train_loader, epochs, val_loader)
    return model, history


@torch.no_grad()
def predict(model, images):
    """The predicted class of each image, as int64 labels of shape ``(N,)``."""
    model.eval()
    probabilities = F.softmax(model(images), dim=1)
    return torch.argmax(probabilities, dim=1)
