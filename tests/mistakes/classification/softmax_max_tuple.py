"""logits - logits.max(dim=dim, keepdim=True): max with a dim returns (values, indices).

fails: softmax_values
hint: max(dim=...) returns a (values, indices) pair
"""

import torch


def softmax(logits, dim=1):
    shifted = logits - logits.max(dim=dim, keepdim=True)
    exps = shifted.exp()
    return exps / exps.sum(dim=dim, keepdim=True)


def cross_entropy(logits, labels):
    shifted = logits - logits.amax(dim=1, keepdim=True)
    log_probs = shifted - shifted.exp().sum(dim=1, keepdim=True).log()
    rows = torch.arange(len(labels), device=labels.device)
    return -log_probs[rows, labels].mean()


def accuracy(logits, labels):
    predictions = logits.argmax(dim=1)
    return (predictions == labels).sum().item() / len(labels)
