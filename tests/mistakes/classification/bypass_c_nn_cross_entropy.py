"""cross_entropy calls torch._C._nn.cross_entropy_loss, the C++ binding under F.cross_entropy.

fails: from_scratch
hint: a call to torch.nn.functional.cross_entropy or another name for it
"""

import torch


def softmax(logits, dim=1):
    shifted = logits - logits.amax(dim=dim, keepdim=True)
    exps = shifted.exp()
    return exps / exps.sum(dim=dim, keepdim=True)


def cross_entropy(logits, labels):
    # (input, target, weight, reduction=1: the mean, ignore_index, label_smoothing)
    return torch._C._nn.cross_entropy_loss(logits, labels, None, 1, -100, 0.0)


def accuracy(logits, labels):
    predictions = logits.argmax(dim=1)
    return (predictions == labels).sum().item() / len(labels)
