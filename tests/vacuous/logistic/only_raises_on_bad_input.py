"""Checks its arguments and raises on bad input, otherwise returns None.

The layer is defined as the contract asks; forward only checks the input's shape.

legit: model_structure -- LogisticRegression holds nn.Linear(num_features, 1), as the contract asks
"""

import torch  # noqa: F401
from torch import nn


def load_breast_cancer_split(test_size=0.2, seed=42):
    if not 0 < test_size < 1:
        raise ValueError("test_size must be in (0, 1)")
    return None


class LogisticRegression(nn.Module):
    def __init__(self, num_features):
        super().__init__()
        self.linear = nn.Linear(num_features, 1)

    def forward(self, x):
        if x.dim() != 2:
            raise ValueError("x must be (batch, num_features)")
        return None


def train_logistic(x_train, y_train, epochs=100, lr=0.01, seed=0):
    if len(x_train) != len(y_train):
        raise ValueError("x_train and y_train differ in length")
    return None
