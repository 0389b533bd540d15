"""Probes for the mse exercise (run in the child).

The tensor probes catch the errors a student's ``mse`` raises on tensors
(other than NotImplementedError, which must still read "not implemented yet")
and send back their text: the parent recognises the usual causes (NumPy on a
tensor that requires grad, ``.item()`` on the meta device, in-place changes of
a leaf) and says so in the hint.
"""

import os
import traceback

import numpy as np
import torch


def _error(stage: str, error: Exception, module) -> dict:
    """``{"error": "mse raised TypeError: ... (mse.py, line 12)"}``, as the engine words it."""
    lines = [frame.lineno for frame in traceback.extract_tb(error.__traceback__)
             if frame.filename == module.__file__]
    where = f" ({os.path.basename(module.__file__)}, line {lines[-1]})" if lines else ""
    return {"error": f"{stage} raised {type(error).__name__}: {str(error).rstrip('.')}{where}"}


def loss(module, y_pred, y) -> dict:
    """``{"loss": mse(y_pred, y)}``, or ``{"error": text}`` when mse raised."""
    try:
        return {"loss": module.mse(y_pred, y)}
    except NotImplementedError:
        raise
    except Exception as error:  # the parent turns the text into a hint
        return _error("mse", error, module)


def gradients(module, y_pred, y):
    """The student's loss and d loss / d y_pred from autograd, in float64."""
    leaf = y_pred.detach().clone().double().requires_grad_(True)
    result = loss(module, leaf, y.double())
    value = result.get("loss")
    result["grad"] = None
    # Only a 0-dim tensor with a history can be differentiated; the parent explains the rest.
    if isinstance(value, torch.Tensor) and value.dim() == 0 and value.grad_fn is not None:
        try:
            value.backward()
        except Exception as error:
            return _error("loss.backward()", error, module)
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
    return loss(module, torch.zeros(shape, device=device), torch.ones(shape, device=device))
