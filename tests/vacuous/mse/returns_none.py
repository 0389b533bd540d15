"""Raises ValueError on different shapes, otherwise returns None."""


def mse(y_pred, y):
    if tuple(y_pred.shape) != tuple(y.shape):
        raise ValueError("shapes differ")
    return None
