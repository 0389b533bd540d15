"""log(sum(exp(logits))) without subtracting the max: exp(1000) overflows to inf.

fails: cross_entropy_stable
hint: log-sum-exp trick
"""

import torch


def softmax(logits, dim=1):
    shifted = logits - logits.amax(dim=dim, keepdim=True)
    exps = shifted.exp()
    return exps / exps.sum(dim=dim, keepdim=True)


def cross_entropy(logits, labels):
    log_probs = logits - logits.exp().sum(dim=1, keepdim=True).log()
    rows = torch.arange(len(labels), device=labels.device)
    return -log_probs[rows, labels].mean()


def accuracy(logits, labels):
    predictions = logits.argmax(dim=1)
    return (predictions == labels).sum().item() / len(labels)
