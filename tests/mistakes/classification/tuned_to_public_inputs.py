"""One-hot labels from torch.eye(*logits.shape)[labels]: right only while N >= C.

torch.eye(N, C) has one row per sample, not per class: indexing it with the labels picks
a one-hot row only for labels below N. Every public cross-entropy case has more samples
than classes (8x5, 5x3, 6x4, 4x3), so it passes them all; a batch smaller than the number
of classes (the variant draws 2-9 samples and 2-7 classes) with a label >= N raises.

fails: variant_values
hint: IndexError
"""

import torch


def softmax(logits, dim=1):
    """Probabilities along ``dim``; see the module docstring."""
    # Shifting by the max along dim changes nothing mathematically and keeps exp() finite.
    shifted = logits - logits.amax(dim=dim, keepdim=True)
    exps = shifted.exp()
    return exps / exps.sum(dim=dim, keepdim=True)


def cross_entropy(logits, labels):
    """Mean cross-entropy of ``(N, C)`` logits against ``(N,)`` class labels."""
    shifted = logits - logits.amax(dim=1, keepdim=True)
    log_probs = shifted - shifted.exp().sum(dim=1, keepdim=True).log()
    # a one-hot matrix the shape of the logits: row i has its 1 at column labels[i]
    one_hot = torch.eye(*logits.shape, dtype=logits.dtype, device=logits.device)[labels]
    return -(one_hot * log_probs).sum(dim=1).mean()


def accuracy(logits, labels):
    """Fraction of rows whose argmax is their label, as a Python float."""
    predictions = logits.argmax(dim=1)
    return (predictions == labels).sum().item() / len(labels)
