"""The stub with each `raise NotImplementedError` replaced by `pass`: every function returns
None."""


def softmax(logits, dim=1):
    pass


def cross_entropy(logits, labels):
    pass


def accuracy(logits, labels):
    pass
