"""Probes for the dataset exercise (run in the child).

The datasets here make every sample identify its own index, so that what the
loaders yield can be reported as plain lists of indices: once read from the
features, once from the labels. The parent compares them (is each label beside
its own features?), and everything else.
"""

import random

import numpy as np
import torch
from torch.utils.data import Dataset

LABEL_OFFSET = 1000  # labels are LABEL_OFFSET + index, features start with the index


class IndexedPairs(Dataset):
    """Like seed 004's CustomDataset: x[i] = [i, -i], y[i] = 1000 + i."""

    def __init__(self, n):
        index = torch.arange(n)
        self.x = torch.stack([index, -index], dim=1).float()
        self.y = LABEL_OFFSET + index

    def __getitem__(self, index):
        return self.x[index], self.y[index]

    def __len__(self):
        return len(self.x)


class Numbers(Dataset):
    """Seed 004's `data_set`: item i is the plain int i, and nothing else to reach into."""

    def __init__(self, n):
        self.data = list(range(n))

    def __len__(self):
        return len(self.data)

    def __getitem__(self, index):
        return self.data[index]


def _not_the_stub(error: BaseException) -> bool:
    """The stub raises a bare NotImplementedError: let that one reach the grader's hint."""
    return not (isinstance(error, NotImplementedError) and not str(error))


# --- CustomDataset ----------------------------------------------------------


def dataset_type(module, x, y):
    """The classes a CustomDataset instance is made of, as "module.QualifiedName", its own
    first; the parent looks for torch's Dataset among them."""
    classes = type(module.CustomDataset(x, y)).__mro__
    return [f"{cls.__module__}.{cls.__qualname__}" for cls in classes]


def length(module, x, y):
    return len(module.CustomDataset(x, y))


def items(module, x, y, indices):
    """dataset[i] for each i, as returned."""
    dataset = module.CustomDataset(x, y)
    return [dataset[i] for i in indices]


def on_device(module, device, n=6):
    """len and the last item of a CustomDataset over tensors on ``device``, or the error."""
    x = torch.zeros(n, 3, device=device)
    y = torch.zeros(n, device=device)
    try:
        dataset = module.CustomDataset(x, y)
        return {"len": len(dataset), "item": dataset[n - 1]}
    except Exception as error:
        if not _not_the_stub(error):
            raise
        return {"error": f"{type(error).__name__}: {error}"}


# --- make_loaders -----------------------------------------------------------


def _seed_everything(global_seed):
    torch.manual_seed(global_seed)
    np.random.seed(global_seed)
    random.seed(global_seed)


def _indices(batch):
    """The sample indices in one batch, read from its features (the first feature, or the
    item itself) and from its labels (label - LABEL_OFFSET; None without labels)."""
    if isinstance(batch, (list, tuple)):
        features, labels = batch[0], batch[1] if len(batch) > 1 else None
    else:
        features, labels = batch, None
    features = torch.as_tensor(features)
    found = features.reshape(len(features), -1)[:, 0].long().tolist()
    if labels is None:
        return found, None
    return found, (torch.as_tensor(labels).reshape(-1) - LABEL_OFFSET).tolist()


def _epochs(loader, epochs):
    """[epoch][batch][index] from the features, and the same from the labels."""
    seen, labelled = [], []
    for _ in range(epochs):
        batches = [_indices(batch) for batch in loader]
        seen.append([indices for indices, _ in batches])
        labelled.append([labels for _, labels in batches])
    return seen, labelled


def _describe(returned):
    size = f" of length {len(returned)}" if isinstance(returned, (tuple, list)) else ""
    return f"a {type(returned).__name__}{size}"


def loaders(module, n, kwargs, *, epochs=1, global_seed=0, generic=False):
    """Indices per batch per epoch of each loader that make_loaders returns.

    ``{"train": [epoch][batch][index], "val": ..., "train_labels": the same read from
    the labels, "val_labels": ...}``, or ``{"bad_return": what came back}`` when it is
    not a pair of loaders.
    """
    _seed_everything(global_seed)
    dataset = Numbers(n) if generic else IndexedPairs(n)
    returned = module.make_loaders(dataset, **kwargs)
    if not isinstance(returned, (tuple, list)) or len(returned) != 2:
        return {"bad_return": _describe(returned)}
    train, train_labels = _epochs(returned[0], epochs)
    val, val_labels = _epochs(returned[1], epochs)
    return {"train": train, "val": val, "train_labels": train_labels, "val_labels": val_labels}


def splits(module, n, calls):
    """The (train, val) index sets of one epoch for each (global_seed, kwargs) call."""
    found = []
    for global_seed, kwargs in calls:
        report = loaders(module, n, kwargs, epochs=1, global_seed=global_seed)
        if "bad_return" in report:
            return report
        found.append([sorted(i for batch in report[part][0] for i in batch)
                      for part in ("train", "val")])
    return {"splits": found}
