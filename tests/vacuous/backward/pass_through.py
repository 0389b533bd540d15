"""Pass-through: backward hands back the point (a, b), gradient_descent the arguments it was
given (lr and the seed), as floats."""


def backward(x, y, a, b):
    return float(a), float(b)


def gradient_descent(x, y, lr=0.1, epochs=1000, seed=42):
    return float(lr), float(seed)
