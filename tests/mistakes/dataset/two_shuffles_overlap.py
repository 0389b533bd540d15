"""Training and validation indices come from two separate permutations, so they overlap.

fails: split_disjoint_and_covering
hint: in both
"""

import torch
from torch.utils.data import DataLoader, Dataset, Subset


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
    train_idx = torch.randperm(len(dataset), generator=generator)[n_val:]
    val_idx = torch.randperm(len(dataset), generator=generator)[:n_val]
    train_data = Subset(dataset, train_idx.tolist())
    val_data = Subset(dataset, val_idx.tolist())
    train_loader = DataLoader(train_data, batch_size=batch_size, shuffle=True)
    val_loader = DataLoader(val_data, batch_size=batch_size)
    return train_loader, val_loader
