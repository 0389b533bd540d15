"""exp(logits) / sum, as seed 003 draws it: exp(1000) overflows to inf, inf / inf = nan.

fails: softmax_stable
hint: exp(1000) overflows to inf
"""

import torch


def softmax(logits, dim=1):
    exps = logits.exp()
    return exps / exps.sum(dim=dim, keepdim=True)


def cross_entropy(logits, labels):
    shifted = logits - logits.amax(dim=1, keepdim=True)
    log_probs = shifted - shifted.exp().sum(dim=1, keepdim=True).log()
    rows = torch.arange(len(labels), device=labels.device)
    return -log_probs[rows, labels].mean()


def accuracy(logits, labels):
    predictions = logits.argmax(dim=1)
    return (predictions == labels).sum().item() / len(labels)
