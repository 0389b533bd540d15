"""Probes for the mse exercise (run in the child)."""

import torch


def gradients(module, y_pred, y, eps=1e-6):
    """The student's value, autograd gradient and central-difference gradient.

    Runs in float64 so that the finite differences are exact enough to compare.
    """
    leaf = y_pred.detach().clone().double().requires_grad_(True)
    loss = module.mse(leaf, y.double())
    if not isinstance(loss, torch.Tensor):
        return {"loss": loss, "grad": None, "numeric": None}
    detached = loss.grad_fn is None
    if not detached:
        loss.backward()
    numeric = torch.zeros_like(leaf)
    with torch.no_grad():
        base = leaf.detach().clone()
        for index in range(base.numel()):
            step = torch.zeros_like(base).view(-1)
            step[index] = eps
            step = step.view_as(base)
            up = float(module.mse(base + step, y.double()))
            down = float(module.mse(base - step, y.double()))
            numeric.view(-1)[index] = (up - down) / (2 * eps)
    return {"loss": loss, "grad": None if detached else leaf.grad, "numeric": numeric}


def leaves_inputs_alone(module, y_pred, y):
    """Whether mse changed its arguments in place."""
    before = (y_pred.clone(), y.clone())
    module.mse(y_pred, y)
    return bool(torch.equal(before[0], y_pred) and torch.equal(before[1], y))


def on_device(module, device, shape):
    """mse on tensors that live on ``device`` (meta: shapes only, no data)."""
    y_pred = torch.zeros(shape, device=device)
    y = torch.ones(shape, device=device)
    return module.mse(y_pred, y)
