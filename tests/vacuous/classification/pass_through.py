"""Pass-through: softmax hands back the logits, cross_entropy their mean, accuracy the number
of samples as a float."""


def softmax(logits, dim=1):
    return logits


def cross_entropy(logits, labels):
    return logits.mean()


def accuracy(logits, labels):
    return float(len(labels))
