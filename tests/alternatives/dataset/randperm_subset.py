"""A seeded torch.randperm cut into two Subsets; len(self.y) for the length."""

import torch
from torch.utils.data import DataLoader, Dataset, Subset


class CustomDataset(Dataset):
    def __init__(self, x_tensor, y_tensor):
        self.x = x_tensor
        self.y = y_tensor

    def __len__(self):
        return len(self.y)

    def __getitem__(self, index):
        features = self.x[index]
        label = self.y[index]
        return features, label


def make_loaders(dataset, val_fraction=0.2, batch_size=16, seed=42):
    n = len(dataset)
    n_val = round(n * val_fraction)
    order = torch.randperm(n, generator=torch.Generator().manual_seed(seed)).tolist()
    val_set = Subset(dataset, order[:n_val])
    train_set = Subset(dataset, order[n_val:])
    return (DataLoader(train_set, batch_size=batch_size, shuffle=True),
            DataLoader(val_set, batch_size=batch_size, shuffle=False))
