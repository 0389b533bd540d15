"""Loops forever in pure Python inside mse.

checks: numpy_returns_float
score: 0
hint: timed out
timeout: 2
"""


def mse(y_pred, y):
    total = 0
    while True:
        total += 1
