"""Returns a list of ten million floats, a 200-deep nesting, a 100 MB string and a huge int.

Lists are cut at 10,000 items, nesting at depth 8, strings at 2,000
characters; the result file stays small.

checks: numpy_returns_float
score: 0
hint: a list of length 4
"""


def mse(y_pred, y):
    deep = []
    for _ in range(200):
        deep = [deep]
    return [[0.5] * 10_000_000, deep, "x" * 100_000_000, 7**100_000]
