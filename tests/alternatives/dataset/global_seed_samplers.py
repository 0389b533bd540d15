"""Seeds the global RNG with torch.manual_seed(seed) (seed 004's full code), then
random_split without a generator; explicit Random/SequentialSamplers.

Reseeding the global RNG is a side effect, but the split is still reproducible
from seed whatever the global state was, which is all the contract asks.
"""

import torch
from torch.utils.data import DataLoader, Dataset, RandomSampler, SequentialSampler, random_split


class CustomDataset(Dataset):
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __getitem__(self, index):
        return (self.x[index], self.y[index])

    def __len__(self):
        return self.x.shape[0]


def make_loaders(dataset, val_fraction=0.2, batch_size=16, seed=42):
    n_val = round(len(dataset) * val_fraction)
    torch.manual_seed(seed)
    train_part, val_part = random_split(dataset, [len(dataset) - n_val, n_val])
    train_loader = DataLoader(train_part, batch_size=batch_size, sampler=RandomSampler(train_part))
    val_loader = DataLoader(val_part, batch_size=batch_size, sampler=SequentialSampler(val_part))
    return train_loader, val_loader
