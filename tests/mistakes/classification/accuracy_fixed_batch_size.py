"""Divides by a fixed batch_size = 8, as seed 003 does, not by the number of samples.

fails: accuracy_values[10x4], accuracy_values[7x3-requires-grad]
hint: not by the number of samples
"""

import torch


def softmax(logits, dim=1):
    shifted = logits - logits.amax(dim=dim, keepdim=True)
    exps = shifted.exp()
    return exps / exps.sum(dim=dim, keepdim=True)


def cross_entropy(logits, labels):
    shifted = logits - logits.amax(dim=1, keepdim=True)
    log_probs = shifted - shifted.exp().sum(dim=1, keepdim=True).log()
    rows = torch.arange(len(labels), device=labels.device)
    return -log_probs[rows, labels].mean()


def accuracy(logits, labels):
    predictions = logits.argmax(dim=1)
    batch_size = 8
    return (predictions == labels).sum().item() / batch_size
