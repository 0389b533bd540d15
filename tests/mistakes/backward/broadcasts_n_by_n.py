"""Uses seed 004's formulas on the raw shapes: x (N, 1) against y (N,) broadcasts to (N, N).

fails: mixed_shapes
hint: (N, N) matrix of errors
"""

import numpy as np


def backward(x, y, a, b):
    yhat = a + b * x
    error = y - yhat
    a_grad = -2 * error.mean()
    b_grad = -2 * (x * error).mean()
    return float(a_grad), float(b_grad)


def gradient_descent(x, y, lr=0.1, epochs=1000, seed=42):
    rng = np.random.default_rng(seed)
    a, b = rng.standard_normal(2)
    for _ in range(epochs):
        a_grad, b_grad = backward(x, y, a, b)
        a, b = a - lr * a_grad, b - lr * b_grad
    return float(a), float(b)
