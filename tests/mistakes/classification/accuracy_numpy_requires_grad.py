"""NumPy on the logits without detach(): a model's output requires grad, so .numpy() fails.

fails: accuracy_values[7x3-requires-grad]
hint: detach them before .numpy()
"""

import numpy as np
import torch


def softmax(logits, dim=1):
    shifted = logits - logits.amax(dim=dim, keepdim=True)
    exps = shifted.exp()
    return exps / exps.sum(dim=dim, keepdim=True)


def cross_entropy(logits, labels):
    shifted = logits - logits.amax(dim=1, keepdim=True)
    log_probs = shifted - shifted.exp().sum(dim=1, keepdim=True).log()
    rows = torch.arange(len(labels), device=labels.device)
    return -log_probs[rows, labels].mean()


def accuracy(logits, labels):
    predictions = logits.numpy().argmax(axis=1)
    return float(np.mean(predictions == labels.numpy()))
