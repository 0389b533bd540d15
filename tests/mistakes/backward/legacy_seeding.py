"""Seeds like seed 004, np.random.seed(seed) then np.random.randn: reproducible, but not the
documented start.

fails: start_from_seed
hint: rng = np.random.default_rng(seed); a, b = rng.standard_normal(2)
"""

import numpy as np


def backward(x, y, a, b):
    x = np.asarray(x, dtype=float).reshape(-1)
    y = np.asarray(y, dtype=float).reshape(-1)
    error = a + b * x - y
    return float(2 * error.mean()), float(2 * (x * error).mean())


def gradient_descent(x, y, lr=0.1, epochs=1000, seed=42):
    np.random.seed(seed)
    a = np.random.randn()
    b = np.random.randn()
    for _ in range(epochs):
        grad_a, grad_b = backward(x, y, a, b)
        a, b = a - lr * grad_a, b - lr * grad_b
    return float(a), float(b)
