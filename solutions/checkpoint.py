"""Exercise: saving and loading a training checkpoint (seed 001, "5. Saving and loading the
model").

Seed 001 saves ``net.state_dict()`` with ``torch.save`` and explains that both
models and optimizers have a ``state_dict()``: a dictionary of their tensors
(the model's parameters and buffers; the optimizer's per-parameter state, such
as Adam's running averages and step counts, and its hyperparameters). Its
loading line, ``torch.load_state_dict(net.load(PATH))``, has the calls inside
out. Write the two functions that let a training run stop and resume.

``save_checkpoint(model, optimizer, path)`` writes one file at ``path``
(a ``str`` or a ``pathlib.Path``; use it as given, add no extension) with
``torch.save``, holding the dictionary::

    {"model": model.state_dict(), "optimizer": optimizer.state_dict()}

(more keys, such as an epoch number, may be added, but these two must be
there). Save state dicts, not the objects themselves: ``torch.save(model,
path)`` pickles the whole module, which a safe loader refuses.

``load_checkpoint(model, optimizer, path)`` reads such a file and restores both
objects *in place*: ``model.load_state_dict(...)`` and
``optimizer.load_state_dict(...)`` on the objects it is given (which the caller
built the same way as the saved ones); it returns nothing. Resuming must be
exact: training that is saved after some steps, loaded into a freshly built
model and optimizer, and continued, takes exactly the same next steps as
training that never stopped. Loading does not change the model's train/eval
mode (seed 001 calls ``net.eval()`` after loading to test; the caller does
that, since a resumed run stays in train mode).

Loading must be safe: a checkpoint file may come from anywhere, and a pickle
can run any code while it is read. Call ``torch.load(path,
weights_only=True)``, which only rebuilds tensors and plain containers and
raises on anything else (``torch.load`` defaults to it since torch 2.6; older
versions default to ``weights_only=False``). A file holding anything else must
make ``load_checkpoint`` raise, without running its code.
"""

import torch


def save_checkpoint(model, optimizer, path):
    """Write ``{"model": ..., "optimizer": ...}`` state dicts to ``path`` with torch.save."""
    ### BEGIN SOLUTION
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()}, path)
    ### END SOLUTION


def load_checkpoint(model, optimizer, path):
    """Restore ``model`` and ``optimizer`` in place from ``path``, loading safely."""
    ### BEGIN SOLUTION
    checkpoint = torch.load(path, weights_only=True)
    model.load_state_dict(checkpoint["model"])
    optimizer.load_state_dict(checkpoint["optimizer"])
    ### END SOLUTION
