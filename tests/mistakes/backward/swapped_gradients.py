"""Returns the gradients in the wrong order, (grad_b, grad_a), against the contract.

fails: gradient_value, matches_autograd, matches_finite_differences
hint: The two gradients are swapped
"""

import numpy as np


def backward(x, y, a, b):
    x = np.asarray(x, dtype=float).reshape(-1)
    y = np.asarray(y, dtype=float).reshape(-1)
    error = a + b * x - y
    grad_a = 2 * error.mean()
    grad_b = 2 * (x * error).mean()
    return float(grad_b), float(grad_a)


def gradient_descent(x, y, lr=0.1, epochs=1000, seed=42):
    rng = np.random.default_rng(seed)
    a, b = rng.standard_normal(2)
    for _ in range(epochs):
        grad_a, grad_b = backward(x, y, a, b)
        a, b = a - lr * grad_a, b - lr * grad_b
    return float(a), float(b)
