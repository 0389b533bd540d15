"""Raises a half-megabyte message full of terminal escapes that clear and redraw the screen.

Every hint is cleaned of escape sequences and control characters and capped in
length before it reaches a terminal, HTML or JSON.

checks: numpy_value, numpy_returns_float
score: 0
hint: your code raised ValueError
"""

REDRAW = "\x1b[2J\x1b[H\x1b]0;graded\x07mse 28/28  all checks passed\r\n"


def mse(y_pred, y):
    raise ValueError(REDRAW * 12_000)
