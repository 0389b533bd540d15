"""F.one_hot(labels) without num_classes: too narrow when the last class is absent.

fails: cross_entropy_values[last-class-absent]
hint: F.one_hot(labels) guesses the number of classes
"""

import torch.nn.functional as F


def softmax(logits, dim=1):
    shifted = logits - logits.amax(dim=dim, keepdim=True)
    exps = shifted.exp()
    return exps / exps.sum(dim=dim, keepdim=True)


def cross_entropy(logits, labels):
    shifted = logits - logits.amax(dim=1, keepdim=True)
    log_probs = shifted - shifted.exp().sum(dim=1, keepdim=True).log()
    one_hot = F.one_hot(labels).to(log_probs.dtype)
    return -(one_hot * log_probs).sum(dim=1).mean()


def accuracy(logits, labels):
    predictions = logits.argmax(dim=1)
    return (predictions == labels).sum().item() / len(labels)
