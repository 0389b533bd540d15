"""Probes for the tensors exercise (run in the child).

Memory sharing is measured here, where the objects live: the probes write
into the NumPy array and into the tensor and send back what the other one holds
afterwards, and compare storage addresses; the parent compares the values.
"""

import numpy as np
import torch

ARRAY_MARK, TENSOR_MARK = 101, 77  # fit every dtype the grader sends (uint8 included)


def _snapshot(value):
    """What came back, frozen before the probe writes into it."""
    return value.detach().clone() if type(value) is torch.Tensor else value


def _same_storage(a: torch.Tensor, b: torch.Tensor) -> bool:
    return a.untyped_storage().data_ptr() == b.untyped_storage().data_ptr()


def made(module, device):
    """make_tensors(device), as it came back (tensors are described by the engine)."""
    return module.make_tensors(device)


def shared_writes(module, array):
    """share_memory(array), then what each write shows: the tensor after a write into the
    array, the array after a write into the tensor (the parent compares the values)."""
    tensor = module.share_memory(array)
    report = {"result": _snapshot(tensor)}
    if type(tensor) is not torch.Tensor or tuple(tensor.shape) != array.shape:
        return report
    report["same_address"] = tensor.data_ptr() == array.__array_interface__["data"][0]
    array[(0,) * array.ndim] = ARRAY_MARK
    report["tensor_after"] = _snapshot(tensor)
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
    """What a reshaping function returned, whether it shares ``source``'s storage, and
    ``source`` itself afterwards (the parent compares it with what it sent)."""
    report = {"result": _snapshot(result), "input": source}
    if type(result) is torch.Tensor and source.device.type != "meta":
        report["shares"] = _same_storage(result, source)
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
