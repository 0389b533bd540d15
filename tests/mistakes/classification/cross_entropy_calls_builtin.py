"""cross_entropy is F.cross_entropy, as seed 002 uses it.

fails: from_scratch
hint: a call to torch.nn.functional.cross_entropy
"""

import torch.nn.functional as F


def softmax(logits, dim=1):
    shifted = logits - logits.amax(dim=dim, keepdim=True)
    exps = shifted.exp()
    return exps / exps.sum(dim=dim, keepdim=True)


def cross_entropy(logits, labels):
    return F.cross_entropy(logits, labels)


def accuracy(logits, labels):
    predictions = logits.argmax(dim=1)
    return (predictions == labels).sum().item() / len(labels)
