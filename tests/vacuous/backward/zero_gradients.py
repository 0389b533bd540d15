"""The review's 14/27: backward returns (0.0, 0.0), around the reference's gradient_descent.

The loop is only graded once backward's values are right: gradient descent with a constant
"gradient" computes nothing.
"""

import numpy as np


def backward(x, y, a, b):
    return 0.0, 0.0


def gradient_descent(x, y, lr=0.1, epochs=1000, seed=42):
    rng = np.random.default_rng(seed)
    a, b = rng.standard_normal(2)
    for _ in range(epochs):
        grad_a, grad_b = backward(x, y, a, b)
        a, b = a - lr * grad_a, b - lr * grad_b
    return float(a), float(b)
