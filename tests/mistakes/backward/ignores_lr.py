"""Keeps seed 004's hard-coded learning rate (lr = 1e-1) instead of the lr argument.

fails: honours_lr
hint: ignores the learning rate argument
"""

import numpy as np


def backward(x, y, a, b):
    x = np.asarray(x, dtype=float).reshape(-1)
    y = np.asarray(y, dtype=float).reshape(-1)
    error = a + b * x - y
    return float(2 * error.mean()), float(2 * (x * error).mean())


def gradient_descent(x, y, lr=0.1, epochs=1000, seed=42):
    rng = np.random.default_rng(seed)
    a, b = rng.standard_normal(2)
    learning_rate = 1e-1
    for _ in range(epochs):
        grad_a, grad_b = backward(x, y, a, b)
        a, b = a - learning_rate * grad_a, b - learning_rate * grad_b
    return float(a), float(b)
