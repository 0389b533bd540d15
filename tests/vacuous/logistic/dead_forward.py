"""The right layer with a dead forward: it passes the first feature through, untouched.

The split is the raw, unscaled data in its file order (no shuffle); train_logistic
returns the untrained model and a made-up falling loss curve.

legit: model_structure -- LogisticRegression holds nn.Linear(num_features, 1), as the contract asks
"""

import torch
from torch import nn


def load_breast_cancer_split(test_size=0.2, seed=42):
    from sklearn.datasets import load_breast_cancer

    x, y = load_breast_cancer(return_X_y=True)
    x, y = torch.from_numpy(x).float(), torch.from_numpy(y).float().view(-1, 1)
    n_test = -(-len(x) * test_size // 1)
    n_train = len(x) - int(n_test)
    return x[:n_train], x[n_train:], y[:n_train], y[n_train:]


class LogisticRegression(nn.Module):
    def __init__(self, num_features):
        super().__init__()
        self.linear = nn.Linear(num_features, 1)

    def forward(self, x):
        return x[:, :1]


def train_logistic(x_train, y_train, epochs=100, lr=0.01, seed=0):
    torch.manual_seed(seed)
    model = LogisticRegression(x_train.shape[1])
    return model, [1.0 / (epoch + 1) for epoch in range(epochs)]
