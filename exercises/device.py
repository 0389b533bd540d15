"""Exercise 6: moving data and models to a device (seed 002, "Using a GPU").

Training on a GPU means putting the model *and every batch* on the GPU. Write
the three helpers of seed 002's "Using a GPU" section, made a little more
general than the seed's version (which only handles lists, tuples and tensors).

``get_default_device()``
    ``torch.device("cuda")`` when ``torch.cuda.is_available()`` is True, else
    ``torch.device("cpu")``. Return a ``torch.device``, not a string.

``to_device(data, device)``
    Move ``data`` to ``device`` (a ``torch.device``) and return the result:

    - a tensor: the tensor moved to ``device`` (same shape, dtype and values);
    - an ``nn.Module``: the module with its parameters on ``device``, returned
      (``Module.to`` moves a module in place and returns it);
    - a list or a tuple: a list (for a list) or a tuple (for a tuple) of its
      elements, each passed through ``to_device`` (so nesting works);
    - a dict: a dict with the same keys, each value passed through ``to_device``;
    - anything else (ints, floats, strings, ``None``, ...): returned unchanged.

``DeviceDataLoader(dl, device)``
    Wraps a data loader (anything iterable with a ``len``, such as a
    ``DataLoader``). Iterating over it yields each batch of ``dl``, in order,
    passed through ``to_device``: images *and* labels (every tensor of the
    batch) end up on ``device``. Batches are moved one at a time, when they
    are asked for (lazily), so that only one batch sits on the GPU at once.
    Every new ``for`` loop over it (every epoch) goes through ``dl`` again.
    ``len(DeviceDataLoader(dl, device))`` is ``len(dl)``, the number of batches.

Example::

    device = get_default_device()
    train_loader = DeviceDataLoader(train_loader, device)
    model = to_device(MnistModel(784, 32, 10), device)
    for images, labels in train_loader:   # both already on `device`
        loss = F.cross_entropy(model(images), labels)
"""

import torch
from torch import nn


def get_default_device():
    """Pick the GPU if there is one, else the CPU, as a ``torch.device``."""
    # YOUR CODE HERE
    raise NotImplementedError


def to_device(data, device):
    """Move tensor(s), module(s) and containers of them to ``device``."""
    # YOUR CODE HERE
    raise NotImplementedError


class DeviceDataLoader:
    """Wrap a data loader to move each batch to ``device`` as it is yielded."""

    def __init__(self, dl, device):
        # YOUR CODE HERE
        raise NotImplementedError

    def __iter__(self):
        """Yield the batches of the wrapped loader, each moved to the device."""
        # YOUR CODE HERE
        raise NotImplementedError

    def __len__(self):
        """Number of batches."""
        # YOUR CODE HERE
        raise NotImplementedError
