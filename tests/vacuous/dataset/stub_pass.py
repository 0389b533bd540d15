"""The stub with each `raise NotImplementedError` replaced by `pass`: a Dataset that stores nothing."""

from torch.utils.data import Dataset


class CustomDataset(Dataset):
    def __init__(self, x, y):
        pass

    def __getitem__(self, index):
        pass

    def __len__(self):
        pass


def make_loaders(dataset, val_fraction=0.2, batch_size=16, seed=42):
    pass
