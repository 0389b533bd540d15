"""softmax is torch.softmax: right values, but the exercise is to write it.

fails: from_scratch
hint: a call to torch.softmax
"""

import torch


def softmax(logits, dim=1):
    return torch.softmax(logits, dim=dim)


def cross_entropy(logits, labels):
    shifted = logits - logits.amax(dim=1, keepdim=True)
    log_probs = shifted - shifted.exp().sum(dim=1, keepdim=True).log()
    rows = torch.arange(len(labels), device=labels.device)
    return -log_probs[rows, labels].mean()


def accuracy(logits, labels):
    predictions = logits.argmax(dim=1)
    return (predictions == labels).sum().item() / len(labels)
