"""Always normalises along dim 1, seed 002's F.softmax(outputs, dim=1), whatever dim is.

fails: softmax_other_dims[5x4-dim0], softmax_other_dims[2x3x4-dim2]
hint: You normalised along dim 1
"""

import torch


def softmax(logits, dim=1):
    shifted = logits - logits.amax(dim=1, keepdim=True)
    exps = shifted.exp()
    return exps / exps.sum(dim=1, keepdim=True)


def cross_entropy(logits, labels):
    shifted = logits - logits.amax(dim=1, keepdim=True)
    log_probs = shifted - shifted.exp().sum(dim=1, keepdim=True).log()
    rows = torch.arange(len(labels), device=labels.device)
    return -log_probs[rows, labels].mean()


def accuracy(logits, labels):
    predictions = logits.argmax(dim=1)
    return (predictions == labels).sum().item() / len(labels)
