"""softmax switches off the grader's dispatch modes, and runs torch.softmax in a thread too.

Modes are per thread and can be popped, so the recorder misses the forward call; the
grader runs the backward pass itself, under the recorder, and the result's autograd
graph holds PyTorch's SoftmaxBackward0.

fails: from_scratch
hint: a call to torch.softmax or another name for it
"""

from concurrent.futures import ThreadPoolExecutor

import torch
from torch.utils._python_dispatch import _disable_current_modes


def softmax(logits, dim=1):
    with _disable_current_modes(), ThreadPoolExecutor(1) as pool:
        return pool.submit(torch.softmax, logits, dim).result()


def cross_entropy(logits, labels):
    shifted = logits - logits.amax(dim=1, keepdim=True)
    log_probs = shifted - shifted.exp().sum(dim=1, keepdim=True).log()
    rows = torch.arange(len(labels), device=labels.device)
    return -log_probs[rows, labels].mean()


def accuracy(logits, labels):
    predictions = logits.argmax(dim=1)
    return (predictions == labels).sum().item() / len(labels)
