"""np.squeeze, np.average and np.mean(..., dtype=float64); the loop keeps a history list."""

import numpy as np


def backward(x, y, a, b):
    x = np.atleast_1d(np.squeeze(np.asarray(x, dtype=np.float64)))
    y = np.atleast_1d(np.squeeze(np.asarray(y, dtype=np.float64)))
    residual = (a + b * x) - y
    grad_a = 2.0 * np.average(residual)
    grad_b = 2.0 * np.mean(residual * x, dtype=np.float64)
    return float(grad_a), float(grad_b)


def gradient_descent(x, y, lr=0.1, epochs=1000, seed=42):
    rng = np.random.default_rng(seed)
    history = [tuple(rng.standard_normal(2))]
    for _ in range(epochs):
        a, b = history[-1]
        grad_a, grad_b = backward(x, y, a, b)
        history.append((a - lr * grad_a, b - lr * grad_b))
    a, b = history[-1]
    return float(a), float(b)
