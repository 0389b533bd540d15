"""Matrix-style gradients on x as a column: returns NumPy arrays of shape (1,), not floats.

fails: returns_two_floats
hint: Convert with float(...)
"""

import numpy as np


def backward(x, y, a, b):
    x = np.reshape(x, (-1, 1))
    y = np.reshape(y, (-1, 1))
    error = a + b * x - y
    n = len(x)
    grad_a = 2 * np.ones(n) @ error / n
    grad_b = 2 * x.T @ error / n
    return grad_a, grad_b.reshape(-1)


def gradient_descent(x, y, lr=0.1, epochs=1000, seed=42):
    rng = np.random.default_rng(seed)
    a, b = rng.standard_normal(2)
    for _ in range(epochs):
        grad_a, grad_b = backward(x, y, a, b)
        a, b = a - lr * grad_a, b - lr * grad_b
    return np.asarray(a).item(), np.asarray(b).item()
