"""The stub with its `raise NotImplementedError` replaced by `pass`."""


def backward(x, y, a, b):
    pass


def gradient_descent(x, y, lr=0.1, epochs=1000, seed=42):
    pass
