"""torch.logsumexp for both functions, gather for the true class, a float mean for accuracy."""

import torch


def softmax(logits, dim=1):
    return torch.exp(logits - torch.logsumexp(logits, dim=dim, keepdim=True))


def cross_entropy(logits, labels):
    true_logits = logits.gather(1, labels.unsqueeze(1)).squeeze(1)
    return (torch.logsumexp(logits, dim=1) - true_logits).mean()


def accuracy(logits, labels):
    return float((logits.argmax(dim=1) == labels).float().mean())
