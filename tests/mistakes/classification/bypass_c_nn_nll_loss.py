"""cross_entropy writes the log-softmax itself but takes the loss from torch._C._nn.nll_loss.

fails: from_scratch
hint: a call to torch.nn.functional.nll_loss or another name for it (aten::nll_loss
"""

import torch


def softmax(logits, dim=1):
    shifted = logits - logits.amax(dim=dim, keepdim=True)
    exps = shifted.exp()
    return exps / exps.sum(dim=dim, keepdim=True)


def cross_entropy(logits, labels):
    shifted = logits - logits.amax(dim=1, keepdim=True)
    log_probs = shifted - shifted.exp().sum(dim=1, keepdim=True).log()
    return torch._C._nn.nll_loss(log_probs, labels, None, 1, -100)  # reduction 1: the mean


def accuracy(logits, labels):
    predictions = logits.argmax(dim=1)
    return (predictions == labels).sum().item() / len(labels)
