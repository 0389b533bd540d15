"""Probes for the backward exercise (run in the child).

They only observe: what the student's functions returned, and where the student's loop
started. ``exact_backward`` is an input, not an expected value: it is handed to the
student's loop in place of their ``backward``, and the parent compares what the loop
returns with the reference loop it runs itself, from the start the loop really used.
Rebinding any of this only changes the student's own result.
"""

import numpy as np

from graders._child import attribute


def exact_backward(x, y, a, b):
    """The correct gradients, swapped in for the student's ``backward`` in loop checks.

    So that a mistake in ``backward`` does not also fail every check of
    ``gradient_descent``: those checks look at the loop alone.
    """
    x, y = (np.asarray(values, dtype=float).reshape(-1) for values in (x, y))
    residual = a + b * x - y
    return float(2 * residual.mean()), float(2 * (x * residual).mean())


def _plain(value):
    """A number the student's loop holds (a float, a NumPy scalar or a 1-element array)
    as a float; anything else as it is, for the parent to explain."""
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return value
    return float(array.reshape(-1)[0]) if array.size == 1 else value


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


def trajectory(module, x, y, **kwargs):
    """The loop's result with the exact ``backward`` swapped in, and its own start.

    The start is the point of the loop's first gradient, ``(a, b)`` as the loop held them
    before any update; a loop that never calls ``backward`` (it inlines the gradients)
    has its ``epochs=0`` result instead. The parent runs the reference loop from that
    start, so a start drawn differently costs only the start's own check.
    """
    descent = attribute(module, "gradient_descent")
    own, calls = getattr(module, "backward", None), []

    def recording(x, y, a, b):
        calls.append((_plain(a), _plain(b)))
        return exact_backward(x, y, a, b)

    module.backward = recording
    try:
        result = descent(x, y, **kwargs)
        start = calls[0] if calls else None
        if start is None:
            module.backward = exact_backward
            start = descent(x, y, **{**kwargs, "epochs": 0})
    finally:
        module.backward = own
    return {"result": result, "start": start, "from_backward": bool(calls)}


def descend_twice(module, x, y, **kwargs):
    """Two runs with the same arguments in one process: an unseeded start differs."""
    return [descend(module, x, y, **kwargs), descend(module, x, y, **kwargs)]


def descend_seeds(module, x, y, seeds, **kwargs):
    """One run per seed, in one child."""
    return [descend(module, x, y, seed=seed, **kwargs) for seed in seeds]
