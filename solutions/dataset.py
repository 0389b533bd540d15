"""Exercise 4: a Dataset, a train/validation split and DataLoaders.

From seed 004's "Dataset", "DataLoader" and "Random Split" sections, and seed
002's ``random_split`` / ``DataLoader`` (MNIST) section.

Write two things.

``CustomDataset(x, y)``, a class that inherits from
``torch.utils.data.Dataset`` and wraps a feature tensor ``x`` and a label
tensor ``y`` with the same first dimension:
- ``len(dataset)`` is the number of samples, ``len(x)``.
- ``dataset[i]`` returns the pair ``(x[i], y[i])``: the i-th row of each
  tensor, as a tuple, left on the device it came on (any index the tensors
  accept, so ``dataset[-1]`` is the last sample).

``make_loaders(dataset, val_fraction=0.2, batch_size=16, seed=42)`` splits any
map-style ``Dataset`` (not only a ``CustomDataset``) into a training and a
validation part and returns ``(train_loader, val_loader)``, two
``torch.utils.data.DataLoader``:
- the validation part has ``round(len(dataset) * val_fraction)`` samples and
  the training part the rest; the two parts are disjoint and together cover
  the whole dataset;
- the split is random but reproducible from ``seed`` whatever the global
  random state (torch, NumPy, ``random``): the same seed always gives the same
  split, different seeds give different splits;
- the training loader reshuffles its samples every epoch; the validation
  loader does not shuffle (same order every epoch);
- both loaders use ``batch_size`` (the last batch may be smaller).
"""

import torch
from torch.utils.data import DataLoader, Dataset, random_split


class CustomDataset(Dataset):
    """Pairs of (features, label) taken from two tensors; see the module docstring."""

    def __init__(self, x, y):
        ### BEGIN SOLUTION
        self.x = x
        self.y = y
        ### END SOLUTION

    def __getitem__(self, index):
        ### BEGIN SOLUTION
        return (self.x[index], self.y[index])
        ### END SOLUTION

    def __len__(self):
        ### BEGIN SOLUTION
        return len(self.x)
        ### END SOLUTION


def make_loaders(dataset, val_fraction=0.2, batch_size=16, seed=42):
    """``(train_loader, val_loader)`` over a seeded random split; see the module docstring."""
    ### BEGIN SOLUTION
    n_val = round(len(dataset) * val_fraction)
    # A private generator: the split depends on `seed` only, not on the global RNG.
    generator = torch.Generator().manual_seed(seed)
    train_part, val_part = random_split(dataset, [len(dataset) - n_val, n_val],
                                        generator=generator)
    train_loader = DataLoader(train_part, batch_size=batch_size, shuffle=True)
    val_loader = DataLoader(val_part, batch_size=batch_size, shuffle=False)
    return train_loader, val_loader
    ### END SOLUTION
