"""-log(softmax(logits)) for the true class: log(0) = -inf once a probability underflows.

fails: cross_entropy_stable
hint: A probability underflowed to 0
"""

import torch


def softmax(logits, dim=1):
    shifted = logits - logits.amax(dim=dim, keepdim=True)
    exps = shifted.exp()
    return exps / exps.sum(dim=dim, keepdim=True)


def cross_entropy(logits, labels):
    log_probs = softmax(logits, dim=1).log()
    rows = torch.arange(len(labels), device=labels.device)
    return -log_probs[rows, labels].mean()


def accuracy(logits, labels):
    predictions = logits.argmax(dim=1)
    return (predictions == labels).sum().item() / len(labels)
