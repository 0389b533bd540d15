"""Returns a result built from shared references: a megabyte list of one row repeated.

Pickle would send it small and the parent would expand it to 10^9 items; the
wire format has no shared references, so the child's own encoder stops at its
node budget and the parent reads a short "too large" record.

checks: numpy_returns_float
score: 0
hint: too large to read
"""

ROW = [0.5] * 10_000
TABLE = [ROW] * 10_000
CUBE = [TABLE] * 10


def mse(y_pred, y):
    return CUBE
