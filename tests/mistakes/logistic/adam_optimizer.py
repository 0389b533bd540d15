"""Trains with torch.optim.Adam at lr instead of the stated torch.optim.SGD: a stronger
optimizer, another recipe.

fails: train_losses, train_parameters
hint: That is Adam: the recipe is torch.optim.SGD
"""

import torch
from torch import nn


def load_breast_cancer_split(test_size=0.2, seed=42):
    """``(x_train, x_test, y_train, y_test)``, standardised with training statistics only."""
    # Imported here, not at the top: scikit-learn takes seconds to import.
    from sklearn.datasets import load_breast_cancer
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    features, targets = load_breast_cancer(return_X_y=True)
    x_train, x_test, y_train, y_test = train_test_split(
        features, targets, test_size=test_size, random_state=seed)
    scaler = StandardScaler().fit(x_train)  # training statistics only: no leakage
    x_train, x_test = scaler.transform(x_train), scaler.transform(x_test)

    def tensor(array):
        return torch.from_numpy(array).float()

    return (tensor(x_train), tensor(x_test),
            tensor(y_train).view(-1, 1), tensor(y_test).view(-1, 1))


class LogisticRegression(nn.Module):
    """One linear neuron and a sigmoid (seed 000); see the module docstring."""

    def __init__(self, num_features):
        super().__init__()
        self.linear = nn.Linear(num_features, 1)

    def forward(self, x):
        """Probabilities of shape ``(batch, 1)``."""
        return torch.sigmoid(self.linear(x))


def train_logistic(x_train, y_train, epochs=100, lr=0.01, seed=0):
    """Full-batch SGD on BCELoss; returns ``(model, losses)`` with one float per epoch."""
    torch.manual_seed(seed)
    model = LogisticRegression(x_train.shape[1])
    criterion = nn.BCELoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    for _ in range(epochs):
        loss = criterion(model(x_train), y_train)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        losses.append(loss.item())
    return model, losses
