"""Reads the Bunch (data.data, data.target) as seed 000 does, keeps the scaler fitted with
fit_transform on the training part, names the layer differently, stores the losses in a
preallocated list and trains with an explicit epoch counter.
"""

import torch
from torch import nn


def load_breast_cancer_split(test_size=0.2, seed=42):
    """``(x_train, x_test, y_train, y_test)``, standardised with training statistics only."""
    # Imported here, not at the top: scikit-learn takes seconds to import.
    from sklearn.datasets import load_breast_cancer
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    dataset = load_breast_cancer()
    x_train, x_test, y_train, y_test = train_test_split(
        dataset.data, dataset.target, test_size=test_size, random_state=seed)
    scaler = StandardScaler()
    x_train = scaler.fit_transform(x_train)
    x_test = scaler.transform(x_test)

    def tensor(array):
        return torch.from_numpy(array).float()

    return (tensor(x_train), tensor(x_test),
            tensor(y_train).view(-1, 1), tensor(y_test).view(-1, 1))


class LogisticRegression(nn.Module):
    """One linear neuron and a sigmoid (seed 000); see the module docstring."""

    def __init__(self, num_features):
        super().__init__()
        self.ll_1 = nn.Linear(num_features, 1)

    def forward(self, x):
        """Probabilities of shape ``(batch, 1)``."""
        return self.ll_1(x).sigmoid()


def train_logistic(x_train, y_train, epochs=100, lr=0.01, seed=0):
    """Full-batch SGD on BCELoss; returns ``(model, losses)`` with one float per epoch."""
    torch.manual_seed(seed)
    model = LogisticRegression(x_train.shape[1])
    criterion = nn.BCELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    losses = [0.0] * epochs
    epoch = 0
    while epoch < epochs:
        y_pred = model(x_train)
        loss = criterion(y_pred, y_train)
        losses[epoch] = loss.item()
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=False)
        epoch += 1
    return model, losses
