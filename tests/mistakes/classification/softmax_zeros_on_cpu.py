"""Fills a result preallocated with torch.zeros(logits.shape, dtype=logits.dtype): the
values and the gradient are right, but the buffer lives on the CPU, so softmax fails for
logits on any other device.

fails: softmax_meta
hint: A tensor built without device= lives on the CPU
"""

import torch


def softmax(logits, dim=1):
    exps = (logits - logits.amax(dim=dim, keepdim=True)).exp()
    probs = torch.zeros(logits.shape, dtype=logits.dtype)
    probs[...] = exps / exps.sum(dim=dim, keepdim=True)
    return probs


def cross_entropy(logits, labels):
    shifted = logits - logits.amax(dim=1, keepdim=True)
    log_probs = shifted - shifted.exp().sum(dim=1, keepdim=True).log()
    rows = torch.arange(len(labels), device=labels.device)
    return -log_probs[rows, labels].mean()


def accuracy(logits, labels):
    predictions = logits.argmax(dim=1)
    return (predictions == labels).sum().item() / len(labels)
