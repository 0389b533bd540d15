"""Passes Net's arguments positionally, names each piece, gives fit its val_loader by keyword,
and restores the model's previous mode after predicting.
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
    net = Net(1, 8, 10)
    loaders = make_digits_loaders(seed=seed)
    criterion = nn.CrossEntropyLoss()
    adam = torch.optim.Adam(net.parameters(), lr=LEARNING_RATE)
    history = fit(net, criterion, adam, loaders[0], epochs, val_loader=loaders[1])
    return (net, history)


def predict(model, images):
    """The predicted class of each image, as int64 labels of shape ``(N,)``."""
    was_training = model.training
    model.eval()
    with torch.no_grad():
        logits = model(images)
    model.train(was_training)
    return logits.argmax(1)
