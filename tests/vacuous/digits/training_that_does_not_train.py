"""Real data and loaders, but train_digits never steps and predict answers a constant.

train_digits seeds, builds Net(1, 8, 10) and returns it untrained with a made-up
history of the right length; predict calls the model in eval mode without a graph
and then returns class 0 for every image.

legit: dataset_items, dataset_values, loaders_split, loaders_seeded, variant_split -- the data is loaded, scaled and split as the contract asks
"""

import torch
from torch import nn  # noqa: F401

from .dataset import CustomDataset, make_loaders
from .net import Net
from .training import fit  # noqa: F401

EPOCHS = 4
BATCH_SIZE = 32
LEARNING_RATE = 0.003
VAL_FRACTION = 0.2


def load_digits_dataset():
    from sklearn.datasets import load_digits

    digits = load_digits()
    images = torch.tensor(digits.images, dtype=torch.float32).unsqueeze(1) / 16
    return CustomDataset(images, torch.tensor(digits.target, dtype=torch.int64))


def make_digits_loaders(seed=0):
    return make_loaders(load_digits_dataset(), val_fraction=VAL_FRACTION,
                        batch_size=BATCH_SIZE, seed=seed)


def train_digits(epochs=EPOCHS, seed=0):
    torch.manual_seed(seed)
    model = Net(in_channels=1, image_size=8, num_classes=10)
    history = {"train_loss": [2.3 - 0.1 * i for i in range(epochs)],
               "val_loss": [2.3 - 0.1 * i for i in range(epochs)]}
    return model, history


def predict(model, images):
    model.eval()
    with torch.no_grad():
        outputs = model(images)
    return torch.zeros(len(outputs), dtype=torch.int64, device=outputs.device)
