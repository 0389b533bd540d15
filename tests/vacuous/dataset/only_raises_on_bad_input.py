"""Checks its arguments and raises ValueError on bad input, otherwise stores and returns nothing."""

from torch.utils.data import Dataset


class CustomDataset(Dataset):
    def __init__(self, x, y):
        if len(x) != len(y):
            raise ValueError("x and y must have the same number of samples")

    def __getitem__(self, index):
        if not isinstance(index, int):
            raise TypeError("index must be an int")
        return None

    def __len__(self):
        return 0


def make_loaders(dataset, val_fraction=0.2, batch_size=16, seed=42):
    if not 0 < val_fraction < 1:
        raise ValueError("val_fraction must be in (0, 1)")
    if batch_size < 1:
        raise ValueError("batch_size must be positive")
    return None
