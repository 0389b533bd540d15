"""CustomDataset as a TensorDataset subclass (seed 004 shows both); seeded random_split."""

import torch
from torch.utils.data import DataLoader, TensorDataset, random_split


class CustomDataset(TensorDataset):
    def __init__(self, x, y):
        super().__init__(x, y)


def make_loaders(dataset, val_fraction=0.2, batch_size=16, seed=42):
    n_val = round(len(dataset) * val_fraction)
    lengths = [len(dataset) - n_val, n_val]
    train_ds, val_ds = random_split(dataset, lengths, torch.Generator().manual_seed(seed))
    return (DataLoader(dataset=train_ds, batch_size=batch_size, shuffle=True),
            DataLoader(dataset=val_ds, batch_size=batch_size))
