"""make_loaders indexes dataset.x / dataset.y (seed 004's x[train_idx]): CustomDataset only.

fails: any_dataset
hint: any map-style Dataset
"""

import torch
from torch.utils.data import DataLoader, Dataset


class CustomDataset(Dataset):
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __getitem__(self, index):
        return self.x[index], self.y[index]

    def __len__(self):
        return len(self.x)


def make_loaders(dataset, val_fraction=0.2, batch_size=16, seed=42):
    n_val = round(len(dataset) * val_fraction)
    generator = torch.Generator().manual_seed(seed)
    idx = torch.randperm(len(dataset), generator=generator)
    train_idx, val_idx = idx[n_val:], idx[:n_val]
    train_data = CustomDataset(dataset.x[train_idx], dataset.y[train_idx])
    val_data = CustomDataset(dataset.x[val_idx], dataset.y[val_idx])
    train_loader = DataLoader(train_data, batch_size=batch_size, shuffle=True)
    val_loader = DataLoader(val_data, batch_size=batch_size)
    return train_loader, val_loader
