"""Zeros of the right shapes and dtypes: the four parts of the split, probabilities of 0.5.

The split returns float32 zeros shaped like train_test_split's parts (targets as
columns), forward returns 0.5 for every sample (attached to the graph, on x's
device), and train_logistic returns the seeded model untrained with zero losses.

legit: model_structure -- LogisticRegression holds nn.Linear(num_features, 1), as the contract asks
"""

import math

import torch
from torch import nn


def load_breast_cancer_split(test_size=0.2, seed=42):
    n_test = math.ceil(569 * test_size)
    n_train = 569 - n_test
    return (torch.zeros(n_train, 30), torch.zeros(n_test, 30),
            torch.zeros(n_train, 1), torch.zeros(n_test, 1))


class LogisticRegression(nn.Module):
    def __init__(self, num_features):
        super().__init__()
        self.linear = nn.Linear(num_features, 1)

    def forward(self, x):
        return 0.5 + 0 * self.linear(x)


def train_logistic(x_train, y_train, epochs=100, lr=0.01, seed=0):
    torch.manual_seed(seed)
    model = LogisticRegression(x_train.shape[1])
    return model, [0.0] * epochs
