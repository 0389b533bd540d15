"""Validates dim as an index from 0, raising ValueError for a negative dim, which torch
accepts everywhere (dim=-1 is the last axis) and the contract asks for.

fails: softmax_other_dims[2x3x4-dim-2]
hint: dim may be negative
"""

import torch


def softmax(logits, dim=1):
    if not 0 <= dim < logits.dim():
        raise ValueError(f"dim must be between 0 and {logits.dim() - 1}, got {dim}")
    shifted = logits - logits.amax(dim=dim, keepdim=True)
    exps = shifted.exp()
    return exps / exps.sum(dim=dim, keepdim=True)


def cross_entropy(logits, labels):
    shifted = logits - logits.amax(dim=1, keepdim=True)
    log_probs = shifted - shifted.exp().sum(dim=1, keepdim=True).log()
    rows = torch.arange(len(labels), device=labels.device)
    return -log_probs[rows, labels].mean()


def accuracy(logits, labels):
    predictions = logits.argmax(dim=1)
    return (predictions == labels).sum().item() / len(labels)
