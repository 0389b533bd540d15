"""The stub with its `raise NotImplementedError` replaced by `pass`."""


def mse(y_pred, y):
    pass
