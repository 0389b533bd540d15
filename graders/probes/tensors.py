"""Probes for the tensors exercise (run in the child).

The child only observes. Memory sharing is observed here, where the objects
live: the probes send back the storage addresses of what the student's function
returned and of its input, and what each one holds after a write into the
other. The parent decides: equal addresses, and every write showing through
exactly where the parent's own reference view (or array) says it must. An
address can be faked by rebinding ``_address`` at import time; the values after
a write are read from the student's objects inline, with no helper of this
module in between.
"""

import numpy as np
import torch

ARRAY_MARK, TENSOR_MARK = 101, 77  # fit every dtype the grader sends (uint8 included)
VIEW_MARK = 55.0  # written into to_batch's and flatten_features' input after the call


def _snapshot(value):
    """What came back, frozen before the probe writes into it."""
    return value.detach().clone() if type(value) is torch.Tensor else value


def _address(value) -> int:
    """Where a NumPy array's data, or a tensor's storage, starts in memory."""
    if type(value) is np.ndarray:
        return value.__array_interface__["data"][0]
    return value.untyped_storage().data_ptr()


def made(module, device):
    """make_tensors(device), as it came back (tensors are described by the engine)."""
    return module.make_tensors(device)


def weights_drawn(module, calls):
    """make_tensors()["weights"] of ``calls`` calls in a row, flattened into one tensor (the
    parent checks their distribution); whatever came back instead, as it is. Seeded here, so
    that the numbers in the hint are the same in every grading run, wherever it runs."""
    torch.manual_seed(2024)
    draws = []
    for _ in range(calls):
        weights = module.make_tensors("cpu")["weights"]
        if type(weights) is not torch.Tensor:
            return weights
        draws.append(weights.detach().flatten().double())
    return torch.cat(draws)


def shared_writes(module, array):
    """share_memory(array), then where each one's data lives, and what each write shows: the
    tensor after a write into the array, the array after a write into the tensor."""
    tensor = module.share_memory(array)
    report = {"result": _snapshot(tensor)}
    if type(tensor) is not torch.Tensor or tuple(tensor.shape) != array.shape:
        return report
    report["addresses"] = [_address(tensor), _address(array)]
    array[(0,) * array.ndim] = ARRAY_MARK
    report["tensor_after"] = tensor.detach().clone()  # inline: no helper to rebind
    try:
        with torch.no_grad():
            tensor[tuple(n - 1 for n in array.shape)] = TENSOR_MARK
    except RuntimeError as error:  # e.g. a tensor that cannot be written in place
        report["tensor_write_error"] = str(error)[:300]
    report["array_after"] = array.copy()
    return report


def shared_writes_each(module, arrays):
    """shared_writes on each array."""
    return [shared_writes(module, array) for array in arrays]


def _view_report(result, source: torch.Tensor) -> dict:
    """What a reshaping function returned and ``source`` afterwards (the parent compares it
    with what it sent), then both storages' addresses and the result after a write of
    ``VIEW_MARK`` into ``source``'s first element."""
    report = {"result": _snapshot(result), "input": _snapshot(source)}
    if type(result) is torch.Tensor and source.device.type != "meta":
        report["storages"] = [_address(result), _address(source)]
        with torch.no_grad():
            source[(0,) * source.dim()] = VIEW_MARK
        report["result_after"] = result.detach().clone()  # inline: no helper to rebind
    return report


def batched(module, image):
    """to_batch(image), and what it did to image's memory."""
    return _view_report(module.to_batch(image), image)


def flattened(module, batch, permutation=None):
    """flatten_features(batch); with ``permutation``, of batch.permute(*permutation),
    a non-contiguous view (channels-last storage)."""
    if permutation is not None:
        batch = batch.permute(*permutation)
    return _view_report(module.flatten_features(batch), batch)


def on_device(module, name, shape, device):
    """``name`` (to_batch or flatten_features) on a tensor of ``shape`` on ``device``."""
    tensor = torch.arange(float(np.prod(shape))).reshape(shape).to(device)
    return getattr(module, name)(tensor)
