"""softmax on the last axis via movedim, a loop over samples, and NumPy for accuracy."""

import numpy as np
import torch


def softmax(logits, dim=1):
    last = logits.movedim(dim, -1)
    exps = (last - last.max(dim=-1, keepdim=True).values).exp()
    return (exps / exps.sum(dim=-1, keepdim=True)).movedim(-1, dim)


def cross_entropy(logits, labels):
    losses = []
    for row, label in zip(logits, labels, strict=True):
        losses.append(torch.logsumexp(row, dim=0) - row.gather(0, label.view(1))[0])
    return torch.stack(losses).mean()


def accuracy(logits, labels):
    predictions = logits.detach().cpu().numpy().argmax(axis=1)
    return float(np.mean(predictions == labels.cpu().numpy()))
