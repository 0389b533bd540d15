"""Probes for the mse exercise (run in the child).

The tensor probes catch the errors a student's ``mse`` raises on tensors
(other than NotImplementedError, which must still read "not implemented yet")
and send back their text: the parent recognises the usual causes (NumPy on a
tensor that requires grad, ``.item()`` on the meta device, in-place changes of
a leaf) and says so in the hint.
"""

import numpy as np
import torch


def _error(stage: str, error: Exception) -> dict:
    return {"error": f"{stage} raised {type(error).__name__}: {error}"}


def _loss(module, y_pred, y) -> dict:
    """``{"loss": mse(y_pred, y)}``, or ``{"error": text}`` when mse raised."""
    try:
        return {"loss": module.mse(y_pred, y)}
    except NotImplementedError:
        raise
    except Exception as error:  # the parent turns the text into a hint
        return _error("mse", error)


def gradients(module, y_pred, y):
    """The student's loss and d loss / d y_pred from autograd, in float64."""
    leaf = y_pred.detach().clone().double().requires_grad_(True)
    result = _loss(module, leaf, y.double())
    loss = result.get("loss")
    result["grad"] = None
    # Only a 0-dim tensor with a history can be differentiated; the parent explains the rest.
    if isinstance(loss, torch.Tensor) and loss.dim() == 0 and loss.grad_fn is not None:
        try:
            loss.backward()
        except Exception as error:
            return _error("loss.backward()", error)
        result["grad"] = leaf.grad
    return result


def changed_inputs(module, y_pred, y):
    """The names of the arguments that mse changed in place (NumPy arrays or tensors)."""
    named = {"y_pred": y_pred, "y": y}
    before = {name: torch.tensor(np.array(x, copy=True)) for name, x in named.items()}
    module.mse(y_pred, y)
    return [name for name, x in named.items()
            if not torch.equal(before[name], torch.tensor(np.array(x, copy=True)))]


def on_device(module, device, shape):
    """mse of two tensors that live on ``device`` (meta: shapes only, no data)."""
    return _loss(module, torch.zeros(shape, device=device), torch.ones(shape, device=device))
