"""A logistic.py that trains nothing and makes the accuracy probe return no runs at all.

The parent used to loop ``zip(seeds, runs, strict=False)`` over the runs the child
measured, so an empty list passed every per-seed check. It rebinds the old probe
helper and rewrites the code of the new one in place (rebinding the name would not
reach the function the child already holds). The parent now loops with strict=True
and fails a count mismatch; the accuracy itself is computed in the parent.

exercise: logistic
checks: test_accuracy, loss_decreases
score: 0
hint: 0 runs for 2 seeds
"""

import torch
from torch import nn

import graders.probes.logistic as probes


def _no_runs(module, *args, **kwargs):
    return []


probes.accuracy = _no_runs  # the helper the child used to measure the accuracy with
if hasattr(probes, "runs"):  # the probe the child now runs: its code, not just its name
    probes.runs.__code__ = _no_runs.__code__


class LogisticRegression(nn.Module):
    def __init__(self, num_features):
        super().__init__()
        self.linear = nn.Linear(num_features, 1)

    def forward(self, x):
        return torch.sigmoid(self.linear(x))


def train_logistic(x_train, y_train, epochs=100, lr=0.01, seed=0):
    """No training: an untrained model and losses that only look like they fall."""
    return LogisticRegression(x_train.shape[1]), [1.0 / (epoch + 1) for epoch in range(epochs)]


def load_breast_cancer_split(test_size=0.2, seed=42):
    raise NotImplementedError
