"""Wraps the loss's value in a new tensor, torch.tensor(loss.item(), requires_grad=True), the
forum fix for "element 0 of tensors does not require grad": the value is right, but the
new tensor is a leaf, cut from the logits.

fails: cross_entropy_gradient
hint: torch.tensor(...) drop the history
"""

import torch


def softmax(logits, dim=1):
    shifted = logits - logits.amax(dim=dim, keepdim=True)
    exps = shifted.exp()
    return exps / exps.sum(dim=dim, keepdim=True)


def cross_entropy(logits, labels):
    shifted = logits - logits.amax(dim=1, keepdim=True)
    log_probs = shifted - shifted.exp().sum(dim=1, keepdim=True).log()
    rows = torch.arange(len(labels), device=labels.device)
    loss = -log_probs[rows, labels].mean()
    return torch.tensor(loss.item(), dtype=logits.dtype, requires_grad=True)


def accuracy(logits, labels):
    predictions = logits.argmax(dim=1)
    return (predictions == labels).sum().item() / len(labels)
