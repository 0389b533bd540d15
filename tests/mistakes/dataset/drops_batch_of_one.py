"""Guards against a last batch of one sample (BatchNorm's "Expected more than 1 value per
channel") with drop_last=True for both loaders whenever their part leaves one sample over.
No public split leaves one sample over in either part, so every public check passes; the
public variant's validation part (11 samples in batches of 2) loses its last sample.

fails: variant_split
hint: drop_last=True
"""

import torch
from torch.utils.data import DataLoader, Dataset, random_split


class CustomDataset(Dataset):
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __getitem__(self, index):
        return (self.x[index], self.y[index])

    def __len__(self):
        return len(self.x)


def _loader(part, batch_size, shuffle):
    # A batch of one sample breaks BatchNorm: drop it if the part ends with one.
    return DataLoader(part, batch_size=batch_size, shuffle=shuffle,
                      drop_last=len(part) % batch_size == 1)


def make_loaders(dataset, val_fraction=0.2, batch_size=16, seed=42):
    n_val = round(len(dataset) * val_fraction)
    generator = torch.Generator().manual_seed(seed)
    train_part, val_part = random_split(dataset, [len(dataset) - n_val, n_val],
                                        generator=generator)
    return _loader(train_part, batch_size, True), _loader(val_part, batch_size, False)
