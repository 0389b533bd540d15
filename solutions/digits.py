"""Exercise: train your CNN on handwritten digits (seed 001, "Building the model in
Pytorch": prepare the data, build the network, train, evaluate; seed 002, "Logistic
Regression for Image Classification": the validation split, accuracy and ``fit``).

Seeds 001 and 002 train on (Fashion-)MNIST, which needs a download and minutes
of CPU. Here the same pipeline runs on scikit-learn's bundled ``load_digits``
(1797 grey 8x8 images of the digits 0-9, no download) in seconds, built from
your earlier exercises, imported from the modules beside this one (keep these
imports as they are):

- ``Net`` from ``net.py``, built as ``Net(in_channels=1, image_size=8,
  num_classes=10)``;
- ``CustomDataset`` and ``make_loaders`` from ``dataset.py``;
- ``fit`` from ``training.py``.

So this exercise works once those three do. Write four functions.

1. ``load_digits_dataset()`` returns a map-style ``Dataset`` of the 1797
   digits, in scikit-learn's order (a ``CustomDataset(images, labels)``, or a
   ``TensorDataset``): item ``i`` is ``(image, label)`` with ``image`` a
   ``float32`` tensor of shape ``(1, 8, 8)`` (one channel, as ``Net``
   expects) holding ``load_digits().images[i] / 16`` (the pixels are 0..16;
   this scales them to [0, 1]) and ``label`` the digit ``load_digits().target[i]``
   as an ``int64`` tensor of shape ``()`` (``CrossEntropyLoss`` wants class
   indices). Import scikit-learn inside the function, as the scaffold does: it
   takes seconds to import.

2. ``make_digits_loaders(seed=0)`` returns ``(train_loader, val_loader)``:
   ``make_loaders(load_digits_dataset(), val_fraction=VAL_FRACTION,
   batch_size=BATCH_SIZE, seed=seed)``. Its validation part is where the grader
   measures your model's accuracy.

3. ``train_digits(epochs=EPOCHS, seed=0)`` returns ``(model, history)``:

   - ``torch.manual_seed(seed)`` first, so that the whole run (initial weights,
     shuffling) is reproducible: the same seed gives the same model, another
     seed another one;
   - ``model = Net(in_channels=1, image_size=8, num_classes=10)``;
   - the loaders of ``make_digits_loaders(seed)``;
   - ``nn.CrossEntropyLoss()`` and ``torch.optim.Adam(model.parameters(),
     lr=LEARNING_RATE)`` (seed 001's loss and optimizer);
   - ``history = fit(model, loss_fn, optimizer, train_loader, epochs,
     val_loader)``, one call for all the epochs, so that ``history`` holds
     ``epochs`` training and ``epochs`` validation losses.

   With the defaults this reaches at least 0.90 validation accuracy, in a few
   seconds on one CPU thread.

4. ``predict(model, images) -> labels``: the predicted digit of each image of a
   batch ``(N, 1, 8, 8)``, as an ``int64`` tensor of shape ``(N,)`` on the
   images' device: the index of the largest logit (``argmax`` over the class
   dimension; seed 001 writes ``_, predicted = outputs.max(dim=1)``). Put the
   model in eval mode first (``model.eval()``) and build no autograd graph
   (``torch.no_grad()`` or ``torch.inference_mode()``), as seed 001 does for
   testing. ``model`` can be any classifier returning logits ``(N, classes)``.
"""

import torch
from torch import nn

from .dataset import CustomDataset, make_loaders
from .net import Net
from .training import fit

EPOCHS = 4
BATCH_SIZE = 32
LEARNING_RATE = 0.003
VAL_FRACTION = 0.2


def load_digits_dataset():
    """The 1797 digits as ``(image (1, 8, 8) float32 in [0, 1], label int64)`` pairs."""
    # Imported here, not at the top: scikit-learn takes seconds to import.
    from sklearn.datasets import load_digits

    ### BEGIN SOLUTION
    digits = load_digits()
    images = torch.tensor(digits.images, dtype=torch.float32).unsqueeze(1) / 16
    labels = torch.tensor(digits.target, dtype=torch.int64)
    return CustomDataset(images, labels)
    ### END SOLUTION


def make_digits_loaders(seed=0):
    """``(train_loader, val_loader)`` over the digits, split with ``seed``."""
    ### BEGIN SOLUTION
    return make_loaders(load_digits_dataset(), val_fraction=VAL_FRACTION,
                        batch_size=BATCH_SIZE, seed=seed)
    ### END SOLUTION


def train_digits(epochs=EPOCHS, seed=0):
    """Train ``Net(1, 8, 10)`` on the digits; returns ``(model, history)``."""
    ### BEGIN SOLUTION
    torch.manual_seed(seed)
    model = Net(in_channels=1, image_size=8, num_classes=10)
    train_loader, val_loader = make_digits_loaders(seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    history = fit(model, nn.CrossEntropyLoss(), optimizer, train_loader, epochs, val_loader)
    return model, history
    ### END SOLUTION


def predict(model, images):
    """The predicted class of each image, as int64 labels of shape ``(N,)``."""
    ### BEGIN SOLUTION
    model.eval()
    with torch.no_grad():
        return model(images).argmax(dim=1)
    ### END SOLUTION
