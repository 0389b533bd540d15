"""Seed 004's own formulas: error = y - yhat, gradients with a minus sign, flattened with ravel."""

import numpy as np


def backward(x, y, a, b):
    x = np.ravel(x)
    y = np.ravel(y)
    yhat = a + b * x
    error = y - yhat
    a_grad = -2 * error.mean()
    b_grad = -2 * (x * error).mean()
    return a_grad.item(), b_grad.item()


def gradient_descent(x, y, lr=0.1, epochs=1000, seed=42):
    rng = np.random.default_rng(seed)
    a = rng.standard_normal()
    b = rng.standard_normal()
    epoch = 0
    while epoch < epochs:
        a_grad, b_grad = backward(x, y, a, b)
        a -= lr * a_grad
        b -= lr * b_grad
        epoch += 1
    return float(a), float(b)
