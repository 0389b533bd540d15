"""The scaffold with `pass`: the split and training return None, forward returns None.

The layer is defined as the contract asks; nothing else is done.

legit: model_structure -- LogisticRegression holds nn.Linear(num_features, 1), as the contract asks
"""

import torch  # noqa: F401
from torch import nn


def load_breast_cancer_split(test_size=0.2, seed=42):
    pass


class LogisticRegression(nn.Module):
    def __init__(self, num_features):
        super().__init__()
        self.linear = nn.Linear(num_features, 1)

    def forward(self, x):
        pass


def train_logistic(x_train, y_train, epochs=100, lr=0.01, seed=0):
    pass
