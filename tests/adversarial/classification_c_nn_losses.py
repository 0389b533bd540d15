"""A classification.py whose cross_entropy calls the C++ bindings under F.cross_entropy.

torch._C._nn.cross_entropy_loss and torch._C._nn.nll_loss are what F.cross_entropy and
F.nll_loss call; switching off the Python names did not reach them. They run
aten::_log_softmax and aten::nll_loss_forward (and nll_loss_backward), which the
dispatcher records and the parent bans.

exercise: classification
checks: from_scratch
score: 0
hint: aten::nll_loss
"""

import torch


def softmax(logits, dim=1):
    shifted = logits - logits.amax(dim=dim, keepdim=True)
    exps = shifted.exp()
    return exps / exps.sum(dim=dim, keepdim=True)


def cross_entropy(logits, labels):
    # Both bindings, each giving the right mean loss: (..., weight, reduction=mean, ignore_index)
    whole = torch._C._nn.cross_entropy_loss(logits, labels, None, 1, -100, 0.0)
    shifted = logits - logits.amax(dim=1, keepdim=True)
    log_probs = shifted - shifted.exp().sum(dim=1, keepdim=True).log()
    return (whole + torch._C._nn.nll_loss(log_probs, labels, None, 1, -100)) / 2


def accuracy(logits, labels):
    return (logits.argmax(dim=1) == labels).sum().item() / len(labels)
