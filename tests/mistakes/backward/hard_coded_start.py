"""Hard-codes the start printed in seed 004 (np.random.seed(42); randn: 0.4967, -0.1383).

fails: start_from_seed, depends_on_seed
hint: rng = np.random.default_rng(seed); a, b = rng.standard_normal(2)
"""

import numpy as np


def backward(x, y, a, b):
    x = np.asarray(x, dtype=float).reshape(-1)
    y = np.asarray(y, dtype=float).reshape(-1)
    error = a + b * x - y
    return float(2 * error.mean()), float(2 * (x * error).mean())


def gradient_descent(x, y, lr=0.1, epochs=1000, seed=42):
    a, b = 0.49671415, -0.1382643
    for _ in range(epochs):
        grad_a, grad_b = backward(x, y, a, b)
        a, b = a - lr * grad_a, b - lr * grad_b
    return float(a), float(b)
