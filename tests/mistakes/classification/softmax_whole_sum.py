"""Divides by the sum of every exponential in the tensor, not by each row's sum.

fails: softmax_values[4x10], softmax_values[3x5-float64]
hint: You divided by the sum of the whole tensor
"""

import torch


def softmax(logits, dim=1):
    shifted = logits - logits.amax(dim=dim, keepdim=True)
    exps = shifted.exp()
    return exps / exps.sum()


def cross_entropy(logits, labels):
    shifted = logits - logits.amax(dim=1, keepdim=True)
    log_probs = shifted - shifted.exp().sum(dim=1, keepdim=True).log()
    rows = torch.arange(len(labels), device=labels.device)
    return -log_probs[rows, labels].mean()


def accuracy(logits, labels):
    predictions = logits.argmax(dim=1)
    return (predictions == labels).sum().item() / len(labels)
