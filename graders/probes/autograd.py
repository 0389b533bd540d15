"""Probes for the autograd exercise (run in the child).

The scalar functions handed to ``leaf_gradients`` live here, at module level,
so that they can be pickled to the child by name. The parameter probes build
the parameters in the child (leaves, with their gradients set) and report what
``sgd_update_`` left behind: values, leaf-ness, identity, storage, gradients.
"""

import torch

# --- the functions the grader differentiates ------------------------------------


def seed_001_graph(a, b, d):
    """Seed 001: C = A * B, L = C + D."""
    return a * b + d


def seed_002_line(x, w, b):
    """Seed 002: y = w * x + b."""
    return w * x + b


def seed_003_mean(x):
    """Seed 003: y = x + 2, z = y * y * 3, out = z.mean()."""
    y = x + 2
    return (y * y * 3).mean()


def line_loss(a, b, x, y):
    """Seed 004: the mean squared error of the line a + b * x."""
    return ((a + b * x - y) ** 2).mean()


def bilinear(u, m, v):
    """u^T M v."""
    return u @ m @ v


def tanh_sum(x):
    return torch.tanh(x).sum()


def first_only(a, b):
    """Uses its first input only: d/db is zero."""
    del b
    return (a**2).sum()


# --- leaf_gradients -------------------------------------------------------------


def _inputs(tensors, requires):
    """Fresh leaves in the child, some requiring grad (as the caller's parameters would)."""
    return [t.clone().requires_grad_(flag) for t, flag in zip(tensors, requires, strict=True)]


def _frozen(result):
    """The student's result, with each tensor copied before anything else can change it."""
    if isinstance(result, (tuple, list)):
        frozen = [x.detach().clone().requires_grad_(x.requires_grad)
                  if type(x) is torch.Tensor and x.is_leaf else x for x in result]
        return type(result)(frozen) if type(result) in (tuple, list) else result
    return result


def _state(tensor):
    """What the caller can see of one of its tensors after the call (the parent compares
    the values with those it sent)."""
    return {"requires_grad": tensor.requires_grad, "grad": tensor.grad,
            "values": tensor.detach()}


def gradients(module, fn, tensors, requires, calls=1):
    """leaf_gradients(fn, *inputs), ``calls`` times on the same inputs, and the inputs after."""
    inputs = _inputs(tensors, requires)
    results = [_frozen(module.leaf_gradients(fn, *inputs)) for _ in range(calls)]
    return {"results": results, "inputs": [_state(x) for x in inputs]}


def gradients_on(module, fn, shapes, device):
    """leaf_gradients on tensors of ``shapes`` that live on ``device`` (meta: no data)."""
    inputs = [torch.ones(shape, device=device) for shape in shapes]
    return module.leaf_gradients(fn, *inputs)


# --- sgd_update_ ----------------------------------------------------------------


def _parameters(values, grads, device):
    params = []
    for value, grad in zip(values, grads, strict=True):
        p = value.clone().to(device).requires_grad_(True)  # moved first: still a leaf
        if grad is not None:
            p.grad = grad.clone().to(device)
        params.append(p)
    return params


def _address(p):
    return p.untyped_storage().data_ptr() if p.device.type != "meta" else None


def sgd_step(module, values, grads, lr, device="cpu", generator=False):
    """sgd_update_ on fresh parameters: what the caller's parameters look like after.

    Identity and storage come back as numbers from before and after (``id()`` and the
    storage's address): the parent compares them.
    """
    params = _parameters(values, grads, device)  # kept alive to the end: no id is reused
    before = [(id(p), _address(p)) for p in params]
    holder = list(params)  # the caller's list, which a student might rebind items of
    returned = module.sgd_update_((p for p in holder) if generator else holder, lr)
    after = []
    for p, (id_before, storage_before) in zip(holder, before, strict=True):
        tensor = type(p) is torch.Tensor
        after.append({
            "param": p,
            "grad": p.grad if tensor else None,
            "id_before": id_before,
            "id_after": id(p),
            "storage_before": storage_before,
            "storage_after": _address(p) if tensor else None,
        })
    return {"returned": returned, "params": after, "grad_enabled": torch.is_grad_enabled()}


def two_steps(module, x, y, start, lr, steps=2):
    """Seed 004's training loop with sgd_update_ as the update: a and b after ``steps``."""
    a = start[0].clone().requires_grad_(True)
    b = start[1].clone().requires_grad_(True)
    for step in range(steps):
        loss = ((a + b * x - y) ** 2).mean()
        try:
            loss.backward()
        except RuntimeError as error:
            return {"error": str(error)[:300], "step": step,
                    "grad_enabled": torch.is_grad_enabled()}
        module.sgd_update_([a, b], lr)
    return {"a": a, "b": b, "grad_enabled": torch.is_grad_enabled()}
