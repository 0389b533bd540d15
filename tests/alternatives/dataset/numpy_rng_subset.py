"""NumPy's default_rng(seed).permutation for the split; the dataset as a list of pairs."""

import numpy as np
from torch.utils.data import DataLoader, Dataset, Subset


class CustomDataset(Dataset):
    def __init__(self, x, y):
        # Seed 004: "a kind of a Python list of tuples, each tuple one point (features, label)".
        self.points = list(zip(x, y, strict=True))

    def __getitem__(self, i):
        return self.points[i]

    def __len__(self):
        return len(self.points)


def make_loaders(dataset, val_fraction=0.2, batch_size=16, seed=42):
    size = len(dataset)
    n_val = round(size * val_fraction)
    shuffled = np.random.default_rng(seed).permutation(size)
    train_idx = [int(i) for i in shuffled[: size - n_val]]
    val_idx = [int(i) for i in shuffled[size - n_val:]]
    train_loader = DataLoader(Subset(dataset, train_idx), batch_size, shuffle=True)
    val_loader = DataLoader(Subset(dataset, val_idx), batch_size)
    return train_loader, val_loader
