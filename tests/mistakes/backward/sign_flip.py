"""Takes seed 004's error = y - yhat but drops the minus sign of its gradients.

fails: gradient_value, matches_autograd, matches_finite_differences
hint: wrong sign (sign flip)
"""

import numpy as np


def backward(x, y, a, b):
    x = np.asarray(x, dtype=float).reshape(-1)
    y = np.asarray(y, dtype=float).reshape(-1)
    error = y - (a + b * x)
    a_grad = 2 * error.mean()
    b_grad = 2 * (x * error).mean()
    return float(a_grad), float(b_grad)


def gradient_descent(x, y, lr=0.1, epochs=1000, seed=42):
    rng = np.random.default_rng(seed)
    a, b = rng.standard_normal(2)
    for _ in range(epochs):
        a_grad, b_grad = backward(x, y, a, b)
        a, b = a - lr * a_grad, b - lr * b_grad
    return float(a), float(b)
