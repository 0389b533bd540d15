"""Probes for the device exercise (run in the child).

Every move to the ``meta`` device happens here, in the child; the parent only
sees the metadata that comes back (``TensorInfo`` with ``device == "meta"``).
"""

from itertools import islice

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


class CountingLoader:
    """A loader over ready-made batches that counts how many were pulled from it."""

    def __init__(self, batches):
        self.batches = list(batches)
        self.pulled = 0

    def __iter__(self):
        for batch in self.batches:
            self.pulled += 1
            yield batch

    def __len__(self):
        return len(self.batches)


def _classes(value) -> list[str]:
    """The classes ``value`` is made of, "module.QualifiedName", its own first: the parent
    decides what they make it (a torch.device, an nn.Module)."""
    return [f"{cls.__module__}.{cls.__qualname__}" for cls in type(value).__mro__]


def _device_report(device) -> dict:
    """What get_default_device returned: its classes, its device type, how it prints."""
    kind = device.type if isinstance(device, torch.device) else None
    return {"classes": _classes(device), "type": kind, "value": repr(device)[:200]}


def default_device(module):
    """What get_default_device returns, and whether this child can use CUDA."""
    report = _device_report(module.get_default_device())
    return {**report, "cuda_available": torch.cuda.is_available()}


def _cuda_says(available: bool) -> dict:
    """What torch.cuda answers while patched: the public functions, and the private ones
    they call, so that ``from torch.cuda import is_available`` answers the same."""
    count = 1 if available else 0
    return {"is_available": lambda: available, "device_count": lambda: count,
            "_is_compiled": lambda: available, "_nvml_based_avail": lambda: True,
            "_device_count_nvml": lambda: count}


def default_device_when(module, available: bool):
    """get_default_device while torch.cuda says a GPU is ``available`` or not: the GPU branch
    is exercised on machines without one, and the CPU branch on machines with one.
    torch.device("cuda") needs no GPU to be built."""
    patches = {name: value for name, value in _cuda_says(available).items()
               if hasattr(torch.cuda, name)}
    saved = {name: getattr(torch.cuda, name) for name in patches}
    for name, value in patches.items():
        setattr(torch.cuda, name, value)
    try:
        device = module.get_default_device()
    finally:
        for name, value in saved.items():
            setattr(torch.cuda, name, value)
    report = _device_report(device)
    return {**report, "text": str(device)[:50] if isinstance(device, str) else None}


def move_module(module, device):
    """to_device on a small network: what came back, where its parameters are, and the
    parameters' values before the call (a copy: a module moves in place)."""
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))
    before = {name: param.detach().clone() for name, param in net.named_parameters()}
    moved = module.to_device(net, torch.device(device))
    return {
        "classes": _classes(moved),
        "params": dict(moved.named_parameters()) if isinstance(moved, nn.Module) else None,
        "original_params": before,
    }


def _loader(images, labels, batch_size):
    return DataLoader(TensorDataset(images, labels), batch_size=batch_size, shuffle=False)


def _passes(wrapped, limit: int, passes: int) -> list:
    # islice: an iterator that never stops still comes back, one batch too long.
    return [list(islice(wrapped, limit + 1)) for _ in range(passes)]


def loader_batches(module, images, labels, batch_size, *, device, passes=1):
    """The batches a DeviceDataLoader over a DataLoader yields, pass after pass."""
    dl = _loader(images, labels, batch_size)
    wrapped = module.DeviceDataLoader(dl, torch.device(device))
    return _passes(wrapped, len(dl), passes)


def loader_over(module, batches, device, *, passes=1):
    """The batches a DeviceDataLoader over ready-made batches (e.g. dicts) yields."""
    loader = CountingLoader(batches)
    wrapped = module.DeviceDataLoader(loader, torch.device(device))
    return _passes(wrapped, len(loader), passes)


def laziness(module, batches, device):
    """How many batches were pulled from the loader after __init__, iter() and one next()."""
    loader = CountingLoader(batches)
    wrapped = module.DeviceDataLoader(loader, torch.device(device))
    after_init = loader.pulled
    iterator = iter(wrapped)
    after_iter = loader.pulled
    first = next(iterator, None)
    return {"after_init": after_init, "after_iter": after_iter,
            "after_first": loader.pulled, "total": len(loader), "first": first}


def loader_length(module, images, labels, batch_size):
    """len() of a DeviceDataLoader, or None when the class has no __len__."""
    wrapped = module.DeviceDataLoader(_loader(images, labels, batch_size), torch.device("cpu"))
    if not hasattr(type(wrapped), "__len__"):
        return None
    return len(wrapped)


def move_each(module, items, device):
    """to_device on each item separately: [to_device(item, torch.device(device)), ...]."""
    target = torch.device(device)
    return [module.to_device(item, target) for item in items]
