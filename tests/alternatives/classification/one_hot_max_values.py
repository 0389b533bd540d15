"""max(...).values for the shift, a one-hot mask with num_classes, seed 002's accuracy fixed."""

import torch
import torch.nn.functional as F


def _log_softmax_rows(logits):
    shifted = logits - torch.max(logits, dim=1, keepdim=True).values.detach()
    return shifted - torch.log(torch.sum(torch.exp(shifted), dim=1, keepdim=True))


def softmax(logits, dim=1):
    biggest = torch.max(logits, dim=dim, keepdim=True).values
    exps = torch.exp(logits - biggest)
    return exps / torch.sum(exps, dim=dim, keepdim=True)


def cross_entropy(logits, labels):
    one_hot = F.one_hot(labels, num_classes=logits.shape[1]).to(logits.dtype)
    per_sample = -(one_hot * _log_softmax_rows(logits)).sum(dim=1)
    return per_sample.sum() / len(labels)


def accuracy(logits, labels):
    _, preds = torch.max(logits, dim=1)
    return torch.sum(preds == labels).item() / len(preds)
