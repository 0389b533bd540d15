"""Probes for the backward exercise (run in the child).

``exact_backward`` is an input, not an expected value: it is handed to the student's
loop in place of their ``backward``, and the parent compares what the loop returns
with the reference loop it runs itself. Rebinding it only changes the student's own
result.
"""

import numpy as np

from graders._child import attribute


def exact_backward(x, y, a, b):
    """The correct gradients, swapped in for the student's ``backward`` in loop checks.

    So that a mistake in ``backward`` does not also fail every check of
    ``gradient_descent``: those checks look at the loop alone.
    """
    x = np.asarray(x, dtype=float).reshape(-1)
    y = np.asarray(y, dtype=float).reshape(-1)
    error = a + b * x - y
    return float(2 * error.mean()), float(2 * (x * error).mean())


def many_gradients(module, cases):
    """``backward`` on each ``(x, y, a, b)`` of ``cases``, in one child."""
    backward = attribute(module, "backward")
    return [backward(x, y, a, b) for x, y, a, b in cases]


def descend(module, x, y, exact=True, **kwargs):
    """``gradient_descent(x, y, **kwargs)``, with the exact ``backward`` swapped in if asked."""
    descent = attribute(module, "gradient_descent")
    own = getattr(module, "backward", None)
    if exact:
        module.backward = exact_backward
    try:
        return descent(x, y, **kwargs)
    finally:
        module.backward = own


def descend_twice(module, x, y, **kwargs):
    """Two runs with the same arguments in one process: an unseeded start differs."""
    return [descend(module, x, y, **kwargs), descend(module, x, y, **kwargs)]


def descend_seeds(module, x, y, seeds, **kwargs):
    """One run per seed, in one child."""
    return [descend(module, x, y, seed=seed, **kwargs) for seed in seeds]
