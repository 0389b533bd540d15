"""Asks for input at import: input(), sys.stdin.read() and /dev/tty.

stdin is /dev/null, so input() raises EOFError at once; there is no terminal.

checks: numpy_returns_float
score: 0
hint: raised EOFError
timeout: 2
"""

import sys

import numpy as np

try:
    with open("/dev/tty") as terminal:
        terminal.readline()
except OSError:
    pass
sys.stdin.read()
answer = input("Press enter to be graded: ")


def mse(y_pred, y):
    return float(np.mean((np.asarray(y_pred) - np.asarray(y)) ** 2))
