"""Exercise 7: creating tensors, sharing memory with NumPy, and the batch dimension
(seed 001, "1.1 Tensor creation", "1.2 Tensor attributes" and "Tensor reshaping
methods"; seed 003, "Tensor").

Write four functions.

``make_tensors(device="cpu")``
    Return a dict of exactly these nine tensors, every one of them on
    ``device`` (a string such as ``"cpu"``, ``"cuda"`` or ``"meta"``, or a
    ``torch.device``). Only the three marked "requires grad" require gradients,
    and those three must be leaf tensors (created on ``device``, not moved
    there afterwards: seed 004 shows that ``.to(device)`` after
    ``requires_grad=True`` gives a copy that is not a leaf).

    ============  ===========  ===========  ====================================
    key           shape        dtype        values
    ============  ===========  ===========  ====================================
    "zeros"       (5, 3)       float32      all 0 (seed 003's 5x3 matrix, with
                                            its values set rather than
                                            uninitialised)
    "ones"        (2, 2)       float32      all 1; requires grad (seed 003's
                                            ``Variable(torch.ones(2, 2), ...)``)
    "weights"     (2, 3)       float32      drawn from the standard normal
                                            distribution (``randn``); requires
                                            grad (seed 002's ``w``)
    "scalar"      () (0-dim)   float32      3.0; requires grad (seed 001's ``A``)
    "labels"      (3,)         int64        1, 2, 3 (seed 001's
                                            ``torch.tensor([1, 2, 3])``)
    "counts"      (3,)         int32        1, 2, 3
    "floats"      (3,)         float32      1.0, 2.0, 3.0
    "steps"       (5,)         float64      0.0, 0.5, 1.0, 1.5, 2.0
    "identity"    (3, 3)       float32      the 3x3 identity matrix
    ============  ===========  ===========  ====================================

``share_memory(array)``
    Return a tensor that shares its memory with the NumPy array ``array``
    (seed 001: "they allocate a shared memory space"): same shape, same dtype
    (a float64 array gives a float64 tensor), same values, and no copy, so a
    write into the array shows in the tensor and a write into the tensor
    shows in the array. Converting the dtype (``torch.Tensor(array)``,
    ``.float()``) or ``torch.tensor(array)`` makes a copy.

``to_batch(image)``
    PyTorch layers take mini-batches (seed 001's closing note): return the
    ``(C, H, W)`` image as a batch of one, of shape ``(1, C, H, W)``, with
    the same values. Return a view of ``image`` (no copy: the result shares
    its storage) and leave ``image`` itself unchanged (no in-place
    ``unsqueeze_``). Any device (the grader also uses ``meta``).

``flatten_features(batch)``
    Flatten every sample of a batch of shape ``(N, d1, d2, ...)`` (at least
    two dimensions) into a row: return shape ``(N, d1 * d2 * ...)``, row
    ``i`` holding the values of ``batch[i]`` in order (seed 001's
    ``x.view(-1, 20*7*7)``, seed 002's ``xb.view(xb.size(0), -1)``). Keep the
    batch dimension whatever ``N`` is, 1 included, and compute the sizes
    from ``batch``'s shape (no hard-coded 784). When ``batch`` is contiguous
    return a view (no copy); a non-contiguous batch (e.g. a permuted one)
    must work too, and may then be copied. Any device.
"""

import torch


def make_tensors(device="cpu"):
    """The nine tensors of the table in the module docstring, on ``device``."""
    # YOUR CODE HERE
    raise NotImplementedError


def share_memory(array):
    """A tensor over the same memory as the NumPy ``array``."""
    # YOUR CODE HERE
    raise NotImplementedError


def to_batch(image):
    """The ``(C, H, W)`` image as a ``(1, C, H, W)`` batch: a view, no copy."""
    # YOUR CODE HERE
    raise NotImplementedError


def flatten_features(batch):
    """``(N, d1, d2, ...)`` to ``(N, d1 * d2 * ...)``, keeping the batch dimension."""
    # YOUR CODE HERE
    raise NotImplementedError
