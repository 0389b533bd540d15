"""Keeps the parameters in one NumPy vector and returns it, not a tuple of two floats.

fails: descent_returns_floats
hint: not one array
"""

import numpy as np


def backward(x, y, a, b):
    x = np.asarray(x, dtype=float).reshape(-1)
    y = np.asarray(y, dtype=float).reshape(-1)
    error = a + b * x - y
    return float(2 * error.mean()), float(2 * (x * error).mean())


def gradient_descent(x, y, lr=0.1, epochs=1000, seed=42):
    rng = np.random.default_rng(seed)
    params = rng.standard_normal(2)
    for _ in range(epochs):
        params = params - lr * np.array(backward(x, y, *params))
    return params
