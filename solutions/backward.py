"""Exercise 2: gradients by hand, and gradient descent with them (seed 004, "Linear
Regression in Numpy"; seed 000, section 4.1).

The model is the line ``yhat = a + b * x`` and the loss is the mean squared error
over the N points:

    L(a, b) = mean((a + b * x - y) ** 2)

Write, with NumPy and without autograd:

``backward(x, y, a, b) -> (grad_a, grad_b)``
    The gradients of ``L`` with respect to ``a`` and ``b`` at the point ``(a, b)``:

        dL/da = 2 * mean(a + b * x - y)
        dL/db = 2 * mean((a + b * x - y) * x)

    Return them as a tuple of two Python ``float`` values, ``grad_a`` first.
    ``x`` and ``y`` are NumPy arrays of N points, each of shape ``(N,)`` or
    ``(N, 1)``, and not necessarily the same one (seed 004 builds ``x`` of
    shape ``(N, 1)``; a flattened ``y`` has shape ``(N,)``). Pair the i-th ``x``
    with the i-th ``y``: ``(N, 1) - (N,)`` silently broadcasts to an
    ``(N, N)`` matrix, so flatten both first. Averaging matters: seed 000's
    ``np.dot(2*x, (w*x-y)).mean()`` takes the mean of a single number, so it
    returns the sum, N times too large. ``a`` and ``b`` are numbers.

``gradient_descent(x, y, lr=0.1, epochs=1000, seed=42) -> (a, b)``
    Batch gradient descent on all N points, using ``backward``:

    - the start is drawn from ``seed`` exactly like this, so that runs are
      reproducible::

          rng = np.random.default_rng(seed)
          a, b = rng.standard_normal(2)

    - then, ``epochs`` times (one epoch is one update of both parameters):
      compute both gradients at the current ``(a, b)``, then update both,
      ``a = a - lr * grad_a`` and ``b = b - lr * grad_b``. Both gradients come
      from the same ``(a, b)``: do not update ``a`` before computing ``b``'s
      gradient.
    - ``epochs=0`` returns the start unchanged.

    Return the final ``(a, b)`` as a tuple of two Python ``float`` values.
    On seed 004's data (``y = 1 + 2 * x`` plus noise, ``x`` in ``[0, 1]``)
    the defaults recover the least-squares line that scikit-learn's
    ``LinearRegression`` finds.
"""

import numpy as np


def backward(x, y, a, b):
    """The gradients ``(dL/da, dL/db)`` of the mean squared error; see the module docstring."""
    ### BEGIN SOLUTION
    x = np.asarray(x, dtype=float).reshape(-1)  # (N, 1) and (N,) both become (N,)
    y = np.asarray(y, dtype=float).reshape(-1)
    error = a + b * x - y
    grad_a = 2 * error.mean()
    grad_b = 2 * (x * error).mean()
    return float(grad_a), float(grad_b)
    ### END SOLUTION


def gradient_descent(x, y, lr=0.1, epochs=1000, seed=42):
    """Fit ``a + b * x`` to ``y`` by batch gradient descent; see the module docstring."""
    ### BEGIN SOLUTION
    rng = np.random.default_rng(seed)
    a, b = rng.standard_normal(2)
    for _ in range(epochs):
        grad_a, grad_b = backward(x, y, a, b)
        a, b = a - lr * grad_a, b - lr * grad_b  # simultaneous update
    return float(a), float(b)
    ### END SOLUTION
