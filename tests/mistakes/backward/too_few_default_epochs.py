"""Right gradients and a right loop, but a default of 100 epochs instead of the
contract's 1000: with the defaults, the fit stops far from the least-squares line.

fails: recovers_line
hint: epochs=1000
"""

import numpy as np


def backward(x, y, a, b):
    x = np.asarray(x, dtype=float).reshape(-1)
    y = np.asarray(y, dtype=float).reshape(-1)
    error = a + b * x - y
    return float(2 * error.mean()), float(2 * (x * error).mean())


def gradient_descent(x, y, lr=0.1, epochs=100, seed=42):
    rng = np.random.default_rng(seed)
    a, b = rng.standard_normal(2)
    for _ in range(epochs):
        grad_a, grad_b = backward(x, y, a, b)
        a, b = a - lr * grad_a, b - lr * grad_b
    return float(a), float(b)
