"""The scaffold's functions with `pass`: every one returns None.

Nothing is done, so nothing may pay.
"""

import torch  # noqa: F401
from torch import nn  # noqa: F401

from .dataset import CustomDataset, make_loaders  # noqa: F401
from .net import Net  # noqa: F401
from .training import fit  # noqa: F401

EPOCHS = 4
BATCH_SIZE = 32
LEARNING_RATE = 0.003
VAL_FRACTION = 0.2


def load_digits_dataset():
    pass


def make_digits_loaders(seed=0):
    pass


def train_digits(epochs=EPOCHS, seed=0):
    pass


def predict(model, images):
    pass
