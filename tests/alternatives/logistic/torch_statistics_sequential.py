"""Standardises in torch (population std, correction=0), builds the neuron as
nn.Sequential(Linear, Sigmoid), uses F.binary_cross_entropy and a hand-written SGD step
under torch.no_grad(), clearing the gradients before the forward pass.
"""

import torch
import torch.nn.functional as F
from torch import nn


def load_breast_cancer_split(test_size=0.2, seed=42):
    """``(x_train, x_test, y_train, y_test)``, standardised with training statistics only."""
    # Imported here, not at the top: scikit-learn takes seconds to import.
    from sklearn.datasets import load_breast_cancer
    from sklearn.model_selection import train_test_split

    features, targets = load_breast_cancer(return_X_y=True)
    x_train, x_test, y_train, y_test = train_test_split(
        features, targets, test_size=test_size, random_state=seed)
    x_train = torch.tensor(x_train, dtype=torch.float64)
    x_test = torch.tensor(x_test, dtype=torch.float64)
    mean, std = x_train.mean(dim=0), x_train.std(dim=0, correction=0)
    labels = [torch.tensor(y, dtype=torch.float32).unsqueeze(1) for y in (y_train, y_test)]
    return (((x_train - mean) / std).float(), ((x_test - mean) / std).float(), *labels)


class LogisticRegression(nn.Module):
    """One linear neuron and a sigmoid (seed 000); see the module docstring."""

    def __init__(self, num_features):
        super().__init__()
        self.neuron = nn.Sequential(nn.Linear(num_features, 1), nn.Sigmoid())

    def forward(self, x):
        """Probabilities of shape ``(batch, 1)``."""
        return self.neuron(x)


def train_logistic(x_train, y_train, epochs=100, lr=0.01, seed=0):
    """Full-batch SGD on BCELoss; returns ``(model, losses)`` with one float per epoch."""
    torch.manual_seed(seed)
    model = LogisticRegression(x_train.shape[1])
    losses = []
    for _ in range(epochs):
        model.zero_grad()
        loss = F.binary_cross_entropy(model(x_train), y_train)
        loss.backward()
        with torch.no_grad():
            for parameter in model.parameters():
                parameter -= lr * parameter.grad  # noqa: PLW2901 (in place)
        losses.append(float(loss))
    return model, losses
