"""Exercise 3: the training step, the evaluation loop and fit (seed 004, "Training Step"
and "Evaluation"; seed 002, "Utility function to train the model" and its ``fit``).

Write the three pieces every PyTorch training script is made of.

``make_train_step(model, loss_fn, optimizer)`` returns ``train_step(x, y) -> float``
(seed 004 builds it the same way, as a closure). One call is one optimisation
step on one batch:

- put the model in train mode (``model.train()``): it may arrive in eval mode,
  for example after a validation pass;
- forward pass, then ``loss_fn(prediction, target)``, in that order: prediction
  first, target second (seed 004 writes ``loss_fn(y, yhat)``, harmless for MSE,
  wrong for any loss that is not symmetric);
- ``loss.backward()``, then ``optimizer.step()``;
- the gradients of one step must not leak into the next: clear them with
  ``optimizer.zero_grad()`` after the step (or before the forward pass);
- return the loss of this batch, computed *before* the step, as a Python
  ``float`` (``loss.item()``), not as a tensor.

``evaluate(model, loss_fn, loader) -> float`` computes the loss over a whole
loader without training:

- eval mode (``model.eval()``), and no autograd graph built
  (``torch.no_grad()`` or ``torch.inference_mode()``);
- ``loss_fn`` returns the *mean* loss of a batch; return the mean loss per
  *sample* over the whole loader: weight each batch's loss by its batch size
  (``len(x)``) and divide by the number of samples. The last batch is often
  smaller, so a plain average of the batch losses is wrong;
- it must not change the parameters or their ``.grad``.

``fit(model, loss_fn, optimizer, train_loader, epochs, val_loader=None)`` trains
for ``epochs`` epochs and returns ``{"train_loss": [...], "val_loss": [...]}``:

- each epoch runs ``train_step`` over every batch of ``train_loader``, in
  train mode, also after a validation pass has put the model in eval mode;
- ``train_loss`` gets one float per epoch: the mean of the losses the steps of
  that epoch returned, weighted by batch size as in ``evaluate``;
- with a ``val_loader``, ``val_loss`` gets one float per epoch:
  ``evaluate(model, loss_fn, val_loader)`` after that epoch's training; without
  one, ``val_loss`` stays an empty list.

Loaders are ``torch.utils.data.DataLoader`` objects (or any iterable of
``(x, y)`` batches) and are never empty; ``x`` and ``y`` are already on the
model's device.
"""

import torch


def make_train_step(model, loss_fn, optimizer):
    """Return ``train_step(x, y) -> float``; see the module docstring."""

    def train_step(x, y):
        """One optimisation step on the batch ``(x, y)``; returns its loss as a float."""
        ### BEGIN SOLUTION
        model.train()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        return loss.item()
        ### END SOLUTION

    return train_step


def evaluate(model, loss_fn, loader):
    """The mean per-sample loss over ``loader``, in eval mode and without autograd."""
    ### BEGIN SOLUTION
    model.eval()
    total, count = 0.0, 0
    with torch.no_grad():
        for x, y in loader:
            total += loss_fn(model(x), y).item() * len(x)
            count += len(x)
    return total / count
    ### END SOLUTION


def fit(model, loss_fn, optimizer, train_loader, epochs, val_loader=None):
    """Train for ``epochs`` epochs; return ``{"train_loss": [...], "val_loss": [...]}``."""
    ### BEGIN SOLUTION
    train_step = make_train_step(model, loss_fn, optimizer)
    history = {"train_loss": [], "val_loss": []}
    for _ in range(epochs):
        total, count = 0.0, 0
        for x, y in train_loader:
            total += train_step(x, y) * len(x)
            count += len(x)
        history["train_loss"].append(total / count)
        if val_loader is not None:
            history["val_loss"].append(evaluate(model, loss_fn, val_loader))
    return history
    ### END SOLUTION
