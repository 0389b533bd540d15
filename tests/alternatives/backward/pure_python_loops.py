"""No vectorisation: Python loops over the points, math.fsum for the averages."""

import math

import numpy as np


def backward(x, y, a, b):
    xs = [float(v) for v in np.asarray(x).flat]
    ys = [float(v) for v in np.asarray(y).flat]
    n = len(xs)
    errors = [a + b * xi - yi for xi, yi in zip(xs, ys, strict=True)]
    grad_a = 2 * math.fsum(errors) / n
    grad_b = 2 * math.fsum(e * xi for e, xi in zip(errors, xs, strict=True)) / n
    return float(grad_a), float(grad_b)


def gradient_descent(x, y, lr=0.1, epochs=1000, seed=42):
    rng = np.random.default_rng(seed)
    a, b = (float(v) for v in rng.standard_normal(2))
    for _ in range(epochs):
        step = backward(x, y, a, b)
        a, b = a - lr * step[0], b - lr * step[1]
    return a, b
