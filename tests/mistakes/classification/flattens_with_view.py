"""Picks each row's log-probability from a flattened .view(-1) of the log-probabilities:
right for contiguous logits, a RuntimeError for a transposed (non-contiguous) view.

fails: non_contiguous_logits
hint: .view() needs a contiguous tensor
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
    rows = torch.arange(len(labels), device=labels.device)
    flat = log_probs.view(-1)  # needs contiguous logits
    return -flat[rows * log_probs.shape[1] + labels].mean()


def accuracy(logits, labels):
    """Fraction of rows whose argmax is their label, as a Python float."""
    predictions = logits.argmax(dim=1)
    return (predictions == labels).sum().item() / len(labels)
