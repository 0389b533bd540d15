"""Exercise 8: gradients with autograd, and a gradient descent step that keeps
parameters as leaves (seed 001, "2. Autograd"; seed 002, the ``y = w * x + b``
example and "Overall Process"; seed 004, "Autograd" and its three attempts at
updating the parameters).

Write two functions.

``leaf_gradients(fn, *inputs) -> tuple``
    ``inputs`` are floating-point tensors of any shape; ``fn`` takes
    ``len(inputs)`` tensors and returns a 0-dimensional tensor (a scalar such
    as a loss). Return the gradient of ``fn(*inputs)`` with
    respect to each input, computed by autograd, as a ``tuple`` with one
    tensor per input, in the order of ``inputs``:

    - gradient ``i`` has the shape, dtype and device of ``inputs[i]``;
    - an input that ``fn`` does not use gets a gradient of zeros of its
      shape (not ``None``);
    - the gradients are plain tensors: no ``grad_fn``, not requiring grad;
    - differentiate with respect to *every* input, whether or not it
      requires grad (seed 002's ``x = torch.tensor(3.)`` does not, so its
      ``x.grad`` stays ``None`` there; here you must still return dy/dx).

    Work on leaf copies of the inputs (``x.detach()`` gives a tensor with
    the same values and no history, which can then require grad). The
    caller's tensors must be left exactly as they were: their
    ``requires_grad`` not flipped, their ``.grad`` not written (it stays
    ``None``), their values unchanged. Calling ``leaf_gradients`` twice on
    the same tensors gives the same gradients both times (nothing
    accumulates between calls).

    Seed 001's ``L = A * B + D`` at ``A = 3, B = 2, D = 4`` gives
    ``(tensor(2.), tensor(3.), tensor(1.))``; seed 002's ``w * x + b`` at
    ``x = 3, w = 4, b = 5`` (inputs in that order) gives
    ``(tensor(4.), tensor(3.), tensor(1.))``.

``sgd_update_(params, lr)``
    One step of gradient descent on ``params``, an iterable of leaf tensors
    that require grad (for example ``model.parameters()``, a generator
    that can be iterated over only once). For each parameter ``p``:

    - if ``p.grad`` is ``None`` (a parameter the loss did not use), leave
      ``p`` unchanged;
    - otherwise update it *in place*, ``p <- p - lr * p.grad``, without
      recording the update in the autograd graph (``torch.no_grad()``), then
      clear its gradient (``p.grad = None`` or ``p.grad.zero_()``), because
      gradients accumulate (seed 002's step 6).

    Afterwards every parameter is the same tensor object as before, with
    the same storage (an in-place update: an optimizer or a view holding it
    sees the new values), still a leaf that requires grad, with no
    ``grad_fn``; and autograd is on again, so that the next forward and
    backward pass compute fresh gradients. Return ``None``.

    Seed 004 shows why: ``a = a - lr * a.grad`` (its first attempt) makes a
    new tensor that is not a leaf, so its ``.grad`` is ``None``;
    ``a -= lr * a.grad`` outside ``torch.no_grad()`` (its second attempt)
    raises "a leaf Variable that requires grad is being used in an in-place
    operation". Parameters and gradients may live on any device (the grader
    also uses ``meta``).
"""

import torch


def leaf_gradients(fn, *inputs):
    """The gradient of the scalar ``fn(*inputs)`` with respect to each input."""
    # YOUR CODE HERE
    raise NotImplementedError


def sgd_update_(params, lr):
    """``p -= lr * p.grad`` in place for each parameter with a gradient, then clear it."""
    # YOUR CODE HERE
    raise NotImplementedError
