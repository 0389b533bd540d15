"""One-hot labels from torch.eye(C)[labels], the identity-matrix trick: torch.eye builds on the
CPU, so the loss fails for logits on any other device.

fails: cross_entropy_meta
hint: A tensor built without device= lives on the CPU
"""

import torch


def softmax(logits, dim=1):
    shifted = logits - logits.amax(dim=dim, keepdim=True)
    exps = shifted.exp()
    return exps / exps.sum(dim=dim, keepdim=True)


def cross_entropy(logits, labels):
    shifted = logits - logits.amax(dim=1, keepdim=True)
    log_probs = shifted - shifted.exp().sum(dim=1, keepdim=True).log()
    one_hot = torch.eye(logits.shape[1], dtype=logits.dtype)[labels]
    return -(one_hot * log_probs).sum(dim=1).mean()


def accuracy(logits, labels):
    predictions = logits.argmax(dim=1)
    return (predictions == labels).sum().item() / len(labels)
