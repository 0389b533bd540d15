"""predict normalises the images with MNIST's mean and standard deviation (0.1307, 0.3081),
the transforms.Normalize of the MNIST tutorials, before the forward pass. The model takes the
images as they come (load_digits' / 16), so the logits change; the labels of the public
checks' few images happen to survive the shift, those of the variant's images do not.

fails: variant_predict
hint: Each label is the index of the largest logit
"""

import torch
from torch import nn

from .dataset import CustomDataset, make_loaders
from .net import Net
from .training import fit

EPOCHS = 4
BATCH_SIZE = 32
LEARNING_RATE = 0.003
VAL_FRACTION = 0.2
MNIST_MEAN, MNIST_STD = 0.1307, 0.3081


def load_digits_dataset():
    """The 1797 digits as ``(image (1, 8, 8) float32 in [0, 1], label int64)`` pairs."""
    # Imported here, not at the top: scikit-learn takes seconds to import.
    from sklearn.datasets import load_digits

    digits = load_digits()
    images = torch.tensor(digits.images, dtype=torch.float32).unsqueeze(1) / 16
    labels = torch.tensor(digits.target, dtype=torch.int64)
    return CustomDataset(images, labels)


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


def predict(model, images):
    """The predicted class of each image, as int64 labels of shape ``(N,)``."""
    images = (images - MNIST_MEAN) / MNIST_STD  # the usual transforms.Normalize for digits
    model.eval()
    with torch.no_grad():
        return model(images).argmax(dim=1)
