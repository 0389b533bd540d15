"""Probes for the mse exercise (run in the child)."""

import torch


def gradients(module, y_pred, y):
    """The student's loss and d loss / d y_pred from autograd, in float64."""
    leaf = y_pred.detach().clone().double().requires_grad_(True)
    loss = module.mse(leaf, y.double())
    grad = None
    # Only a 0-dim tensor with a history can be differentiated; the parent explains the rest.
    if isinstance(loss, torch.Tensor) and loss.dim() == 0 and loss.grad_fn is not None:
        loss.backward()
        grad = leaf.grad
    return {"loss": loss, "grad": grad}


def inputs_after(module, y_pred, y):
    """The arguments as they are after calling mse; the parent compares them with its copy
    (a comparison made here could be patched by the submission)."""
    module.mse(y_pred, y)
    return {"y_pred": y_pred, "y": y}


def transposed(module, y_pred, y):
    """mse of the transposes of two 2-D tensors: non-contiguous views (the wire carries
    contiguous tensors only, so the views are made here)."""
    return module.mse(y_pred.t(), y.t())


def on_device(module, device, shape):
    """mse of two tensors that live on ``device`` (meta: shapes only, no data)."""
    return module.mse(torch.zeros(shape, device=device), torch.ones(shape, device=device))
