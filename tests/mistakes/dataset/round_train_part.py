"""Rounds the training part, round(n * (1 - val_fraction)), and gives validation the rest.

The same as rounding the validation part except on halves, which Python's round() takes to
the even neighbour: on 25 samples with val_fraction=0.1, 22.5 rounds to 22 for training,
leaving 3 for validation instead of round(2.5) = 2.

fails: split_sizes
hint: rounded up
"""

import torch
from torch.utils.data import DataLoader, Dataset, random_split


class CustomDataset(Dataset):
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __getitem__(self, index):
        return self.x[index], self.y[index]

    def __len__(self):
        return len(self.x)


def make_loaders(dataset, val_fraction=0.2, batch_size=16, seed=42):
    n_train = round(len(dataset) * (1 - val_fraction))
    n_val = len(dataset) - n_train
    generator = torch.Generator().manual_seed(seed)
    train_data, val_data = random_split(dataset, [n_train, n_val], generator=generator)
    train_loader = DataLoader(train_data, batch_size=batch_size, shuffle=True)
    val_loader = DataLoader(val_data, batch_size=batch_size)
    return train_loader, val_loader
