"""Exercise: logistic regression on the breast cancer data (seed 000, "5. Logistic
regression").

Seed 000 classifies tumours as malignant or benign with a single neuron: a
linear layer followed by a sigmoid, trained with ``BCELoss`` and plain SGD on
scikit-learn's bundled breast cancer data (569 samples, 30 features, targets
0 and 1; no download needed). Write its three parts.

1. ``load_breast_cancer_split(test_size=0.2, seed=42)`` returns
   ``(x_train, x_test, y_train, y_test)``, in that order (the order of
   ``train_test_split``):

   - load the data with ``sklearn.datasets.load_breast_cancer()`` and split it
     with ``sklearn.model_selection.train_test_split(X, y, test_size=test_size,
     random_state=seed)``, exactly as seed 000 does;
   - standardise every feature with the mean and the standard deviation of the
     *training part only*: fit a ``StandardScaler`` on ``x_train`` and use it to
     transform both parts (seed 000's ``fit_transform`` / ``transform``). The
     test part must not influence the scaling: no scaler fitted on the whole
     data before splitting, no ``fit_transform`` on the test part (that leaks
     test statistics into training). Doing it in torch or NumPy is fine: the
     standard deviation is the population one (divide by N, as
     ``StandardScaler``), while ``torch.std`` divides by N - 1 unless you pass
     ``correction=0``;
   - return four ``float32`` torch tensors: ``x_train`` of shape
     ``(n_train, 30)``, ``x_test`` of shape ``(n_test, 30)``, and the targets
     as columns, ``y_train`` of shape ``(n_train, 1)`` and ``y_test`` of shape
     ``(n_test, 1)`` (``BCELoss`` needs the targets shaped like the model's
     output).

   Import scikit-learn inside the function, as the scaffold does: importing it
   takes seconds, and only this function needs it.

2. ``LogisticRegression(num_features)``, an ``nn.Module`` holding one
   ``nn.Linear(num_features, 1)`` (with its bias) and nothing else with
   parameters. ``forward(x)`` maps a batch ``(batch, num_features)`` to the
   probabilities ``sigmoid(linear(x))`` of shape ``(batch, 1)``, staying in
   torch (on ``x``'s device, attached to the autograd graph). It returns
   probabilities, not logits: ``BCELoss`` expects values in (0, 1).

3. ``train_logistic(x_train, y_train, epochs=100, lr=0.01, seed=0)`` returns
   ``(model, losses)``, with seed 000's settings:

   - first ``torch.manual_seed(seed)``, then
     ``model = LogisticRegression(x_train.shape[1])``, with nothing random in
     between, so that ``seed`` fixes the initial weights;
   - ``nn.BCELoss()`` and ``torch.optim.SGD(model.parameters(), lr=lr)`` (no
     momentum);
   - ``epochs`` epochs of full-batch gradient descent: each epoch is one step
     on the whole training set (forward, loss, ``backward``, ``step``, and the
     gradients cleared, as in seed 000's loop);
   - ``losses`` holds one Python float per epoch: the loss of that epoch's
     forward pass, before its step.

   On the default split, 100 epochs reach a test accuracy of at least 0.95
   (predicting 1 where the probability is above 0.5).
"""

import torch
from torch import nn


def load_breast_cancer_split(test_size=0.2, seed=42):
    """``(x_train, x_test, y_train, y_test)``, standardised with training statistics only."""
    # Imported here, not at the top: scikit-learn takes seconds to import.
    from sklearn.datasets import load_breast_cancer
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    # YOUR CODE HERE
    raise NotImplementedError


class LogisticRegression(nn.Module):
    """One linear neuron and a sigmoid (seed 000); see the module docstring."""

    def __init__(self, num_features):
        super().__init__()
        # YOUR CODE HERE
        raise NotImplementedError

    def forward(self, x):
        """Probabilities of shape ``(batch, 1)``."""
        # YOUR CODE HERE
        raise NotImplementedError


def train_logistic(x_train, y_train, epochs=100, lr=0.01, seed=0):
    """Full-batch SGD on BCELoss; returns ``(model, losses)`` with one float per epoch."""
    # YOUR CODE HERE
    raise NotImplementedError
