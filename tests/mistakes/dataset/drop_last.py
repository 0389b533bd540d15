"""The training loader sets drop_last=True and loses the last, smaller batch.

fails: split_sizes
hint: drop_last
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
    n_val = round(len(dataset) * val_fraction)
    generator = torch.Generator().manual_seed(seed)
    train_data, val_data = random_split(dataset, [len(dataset) - n_val, n_val],
                                        generator=generator)
    train_loader = DataLoader(train_data, batch_size=batch_size, shuffle=True, drop_last=True)
    val_loader = DataLoader(val_data, batch_size=batch_size)
    return train_loader, val_loader
