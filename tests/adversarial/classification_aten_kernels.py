"""A classification.py that calls PyTorch's softmax kernels through torch.ops.aten.

The from-scratch check used to switch off torch.softmax, F.softmax, F.log_softmax and
friends by name in the child; torch.ops.aten._softmax and _log_softmax are other names
for the same kernels and went through. The child now records the aten operations that
reach PyTorch's dispatcher, forward and backward, and the parent bans any softmax,
log-softmax, NLL or cross-entropy kernel, whatever the name it was called by.

exercise: classification
checks: from_scratch
score: 0
hint: (aten::_softmax
"""

import torch


def softmax(logits, dim=1):
    return torch.ops.aten._softmax(logits, dim, False)


def cross_entropy(logits, labels):
    log_probs = torch.ops.aten._log_softmax(logits, 1, False)
    rows = torch.arange(len(labels), device=labels.device)
    return -log_probs[rows, labels].mean()


def accuracy(logits, labels):
    return (logits.argmax(dim=1) == labels).sum().item() / len(labels)
