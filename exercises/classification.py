"""Exercise 10: softmax, cross-entropy and accuracy, from scratch (seed 002, "Softmax:
convert to probability", its ``accuracy`` and ``F.cross_entropy``; seed 003, "Cost
Function Transformation", steps 1 to 3).

A classifier outputs one score (logit) per class for each sample: ``logits``
of shape ``(N, C)``, and ``labels`` of shape ``(N,)`` holds each sample's class
index, an int64 in ``0 .. C-1``. Write three functions, with torch operations
(``exp``, ``log``, ``sum``, ``max``/``amax``, ``logsumexp``, ``gather``,
indexing, ...) but *without* PyTorch's own softmax, log-softmax,
cross-entropy or NLL loss (``torch.softmax``, ``Tensor.softmax``,
``F.softmax``, ``F.log_softmax``, ``F.cross_entropy``, ``F.nll_loss``,
``nn.CrossEntropyLoss``, ...): the grader runs your code with those switched
off.

``softmax(logits, dim=1)``
    ``exp(logits)`` divided by its sum along ``dim`` (seed 003's S1 and S2),
    for a tensor of any shape and any valid ``dim`` (negative ones too).
    Return a tensor of the same shape, dtype and device, whose entries are
    in ``[0, 1]`` and sum to 1 along ``dim``. It must be numerically stable:
    ``exp(1000)`` overflows to ``inf`` (and ``inf / inf`` is ``nan``), so
    subtract the maximum along ``dim`` first, which does not change the
    result; logits around 1000 or -1000 must give the right, finite
    probabilities. The result stays differentiable (``backward`` through it
    gives the gradients of the true softmax).

``cross_entropy(logits, labels)``
    The mean over the N samples of ``-log(softmax(logits)[i, labels[i]])``
    (seed 003's ``H = -log(softmax(y_i))`` for the true class), the value
    ``F.cross_entropy(logits, labels)`` gives. Return a 0-dimensional tensor
    on the logits' device, attached to the autograd graph
    (``loss.backward()`` must give ``d loss / d logits``). Stable for large
    logits: compute the log-probabilities with the log-sum-exp trick,
    ``log_softmax(z)_j = z_j - max(z) - log(sum_k exp(z_k - max(z)))``, rather
    than ``log(softmax(z))``, which is ``log(0) = -inf`` when a probability
    underflows. A class may be absent from ``labels``: the number of classes
    is ``logits.shape[1]``, not ``labels.max() + 1``.

Both ``softmax`` and ``cross_entropy`` work on any device: keep the
computation in torch on the logits' device (the grader also uses ``meta``,
whose tensors have shapes but no values, so no ``.item()``, NumPy, or
tensors built on the CPU).

``accuracy(logits, labels) -> float``
    The fraction of samples whose predicted class (the index of the largest
    logit in their row, ``argmax`` along dim 1) equals their label, as a
    Python ``float`` between 0 and 1 (seed 002's version returns a tensor;
    seed 003's multiplies by 100: neither does here). ``logits`` may require
    grad (a model's output).
"""

import torch


def softmax(logits, dim=1):
    """Probabilities along ``dim``; see the module docstring."""
    # YOUR CODE HERE
    raise NotImplementedError


def cross_entropy(logits, labels):
    """Mean cross-entropy of ``(N, C)`` logits against ``(N,)`` class labels."""
    # YOUR CODE HERE
    raise NotImplementedError


def accuracy(logits, labels):
    """Fraction of rows whose argmax is their label, as a Python float."""
    # YOUR CODE HERE
    raise NotImplementedError
