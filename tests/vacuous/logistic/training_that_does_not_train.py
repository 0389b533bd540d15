"""A real split and model, but train_logistic never steps: the initial loss, repeated.

legit: split_types, split_rows, train_part_standardised, no_leakage, model_structure, model_output, model_on_meta -- the split, the scaling and the model are done as the contract asks
"""

import torch
from torch import nn


def load_breast_cancer_split(test_size=0.2, seed=42):
    from sklearn.datasets import load_breast_cancer
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    features, targets = load_breast_cancer(return_X_y=True)
    x_train, x_test, y_train, y_test = train_test_split(
        features, targets, test_size=test_size, random_state=seed)
    scaler = StandardScaler().fit(x_train)
    x_train, x_test = scaler.transform(x_train), scaler.transform(x_test)
    return (torch.from_numpy(x_train).float(), torch.from_numpy(x_test).float(),
            torch.from_numpy(y_train).float().view(-1, 1),
            torch.from_numpy(y_test).float().view(-1, 1))


class LogisticRegression(nn.Module):
    def __init__(self, num_features):
        super().__init__()
        self.linear = nn.Linear(num_features, 1)

    def forward(self, x):
        return torch.sigmoid(self.linear(x))


def train_logistic(x_train, y_train, epochs=100, lr=0.01, seed=0):
    torch.manual_seed(seed)
    model = LogisticRegression(x_train.shape[1])
    with torch.no_grad():
        loss = nn.BCELoss()(model(x_train), y_train).item()
    return model, [loss] * epochs
