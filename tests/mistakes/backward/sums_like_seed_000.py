"""Sums over the points instead of averaging: seed 000's backward, np.dot(2*x, (w*x-y)).mean().

np.dot already reduces to one number, so the .mean() afterwards changes nothing.

fails: gradient_value, matches_autograd, matches_finite_differences
hint: summed instead of averaging
"""

import numpy as np


def backward(x, y, a, b):
    x = np.asarray(x, dtype=float).reshape(-1)
    y = np.asarray(y, dtype=float).reshape(-1)
    error = a + b * x - y
    grad_a = np.dot(2 * np.ones_like(x), error).mean()
    grad_b = np.dot(2 * x, error).mean()
    return float(grad_a), float(grad_b)


def gradient_descent(x, y, lr=0.1, epochs=1000, seed=42):
    rng = np.random.default_rng(seed)
    a, b = rng.standard_normal(2)
    for _ in range(epochs):
        grad_a, grad_b = backward(x, y, a, b)
        a, b = a - lr * grad_a, b - lr * grad_b
    return float(a), float(b)
