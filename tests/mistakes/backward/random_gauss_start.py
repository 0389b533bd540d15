"""Draws the start with the standard library, random.seed(seed) then random.gauss(0, 1): a
correct, reproducible loop from a start that is not the documented one (issue 12's example).

fails: start_from_seed
hint: rng = np.random.default_rng(seed); a, b = rng.standard_normal(2)
"""

import random

import numpy as np


def backward(x, y, a, b):
    x = np.asarray(x, dtype=float).reshape(-1)
    y = np.asarray(y, dtype=float).reshape(-1)
    error = a + b * x - y
    return float(2 * error.mean()), float(2 * (x * error).mean())


def gradient_descent(x, y, lr=0.1, epochs=1000, seed=42):
    random.seed(seed)
    a, b = random.gauss(0, 1), random.gauss(0, 1)
    for _ in range(epochs):
        grad_a, grad_b = backward(x, y, a, b)
        a, b = a - lr * grad_a, b - lr * grad_b
    return float(a), float(b)
