"""Seed 002's accuracy: torch.tensor(torch.sum(preds == labels).item() / len(preds)).

fails: accuracy_is_float
hint: seed 002's accuracy returns torch.tensor
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
    return torch.tensor(torch.sum(predictions == labels).item() / len(predictions))
