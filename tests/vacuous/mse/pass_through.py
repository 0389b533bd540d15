"""Pass-through: hands back y_pred untouched."""


def mse(y_pred, y):
    return y_pred
