"""Matrix form: theta = (a, b), X = [1, x], gradient = 2/N * X.T @ (X @ theta - y)."""

import numpy as np


def _design(x):
    x = np.asarray(x, dtype=float).reshape(-1, 1)
    return np.hstack([np.ones_like(x), x])


def backward(x, y, a, b):
    X = _design(x)
    residual = X @ np.array([a, b], dtype=float) - np.asarray(y, dtype=float).reshape(-1)
    grad = 2 / len(X) * (X.T @ residual)
    return float(grad[0]), float(grad[1])


def gradient_descent(x, y, lr=0.1, epochs=1000, seed=42):
    rng = np.random.default_rng(seed)
    theta = rng.standard_normal(2)
    for _ in range(epochs):
        theta = theta - lr * np.array(backward(x, y, theta[0], theta[1]))
    return float(theta[0]), float(theta[1])
