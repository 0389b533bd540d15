"""Probes for the training exercise (run in the child; the grader runs them on its own contract
and, in its hidden checks, on the reference too).

Every probe builds its own small, seeded, float64 setup from a ``Case``, so the
child and the trusted parent see exactly the same model, data and optimizer.
The setup spies on the student's loop: ``SpyRegressor`` logs, on every forward,
the mode it ran in and whether it built an autograd graph; ``SpyLoader`` logs
which loader handed out the batch; ``SpySGD`` logs every optimizer step. The
log is one list of events, in order, that the grader reads. ``exact_make_train_step``
and ``exact_evaluate`` are inputs, not expected values: the fit checks hand them to the
student's ``fit`` in place of the student's own.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

DTYPE = torch.float64  # exact enough that the grader's tolerances can be tight
CURVE_SECONDS = 2.0  # at most for the report's picture of train_step (usually milliseconds)


@dataclass(frozen=True)
class Case:
    """One seeded setup: data, model, optimizer and loaders."""

    seed: int
    n_train: int = 12
    n_val: int = 10
    batch_size: int = 4
    n_in: int = 3
    lr: float = 0.1

    def __str__(self) -> str:
        return f"seed {self.seed}, batches of {self.batch_size}"


class AsymmetricLoss:
    """``loss_fn(prediction, target)``: over-predicting costs 3x as much as under-predicting.

    Unlike MSE it is not symmetric, so calling it as ``loss_fn(target, prediction)``
    gives different values and gradients. It is the mean over the batch.
    """

    def __call__(self, prediction, target):
        error = prediction - target
        weight = 1.0 + 2.0 * (error > 0).to(error.dtype)
        return (weight * error**2).mean()


class SpyRegressor(nn.Module):
    """A seeded linear model that logs ``self.training`` and graph building on every forward."""

    def __init__(self, seed: int, n_in: int, events: list) -> None:
        super().__init__()
        self.linear = nn.Linear(n_in, 1, dtype=DTYPE)
        generator = torch.Generator().manual_seed(seed + 1000)
        with torch.set_grad_enabled(False):
            self.linear.weight.copy_(torch.randn(1, n_in, generator=generator, dtype=DTYPE))
            self.linear.bias.copy_(torch.randn(1, generator=generator, dtype=DTYPE))
        self.events = events

    def forward(self, x):
        out = self.linear(x)
        self.events.append(("forward", self.training, bool(out.requires_grad)))
        return out


class SpyLoader(DataLoader):
    """A real DataLoader (``.dataset`` and ``len()`` work) that logs each batch it yields."""

    def __init__(self, x, y, batch_size: int, events: list, name: str) -> None:
        self.events = events
        self.name = name
        super().__init__(TensorDataset(x, y), batch_size=batch_size, shuffle=False)

    def __iter__(self):
        for batch in super().__iter__():
            self.events.append(("batch", self.name))
            yield batch


class SpySGD(torch.optim.SGD):
    """Plain SGD that logs its steps."""

    def __init__(self, params, lr: float, events: list) -> None:
        super().__init__(params, lr=lr)
        self.events = events

    def step(self, closure=None):
        self.events.append(("step",))
        return super().step(closure)


class MirrorSGD:
    """The grader's twin of ``SpySGD``: the same update ``p -= lr * p.grad``, without torch.optim.

    The first ``torch.optim`` step imports ``torch._dynamo`` (seconds); the trusted
    parent runs the reference with this twin instead, so it never pays that. It has
    what the reference and the grader's simulated mistakes use: step and zero_grad.
    """

    def __init__(self, params, lr: float, events: list) -> None:
        self.params = list(params)
        self.lr = lr
        self.events = events

    def step(self) -> None:
        self.events.append(("step",))
        with torch.set_grad_enabled(False):
            for p in self.params:
                if p.grad is not None:
                    p.add_(p.grad, alpha=-self.lr)

    def zero_grad(self) -> None:
        for p in self.params:
            p.grad = None


@dataclass
class Setup:
    model: SpyRegressor
    loss_fn: object
    optimizer: SpySGD | MirrorSGD
    train_loader: SpyLoader
    val_loader: SpyLoader
    events: list


def _data(generator, n: int, weight, bias):
    """Points near a plane, as in seed 004: y = x @ weight + bias plus a little noise."""
    x = torch.randn(n, weight.shape[0], generator=generator, dtype=DTYPE)
    noise = 0.1 * torch.randn(n, 1, generator=generator, dtype=DTYPE)
    return x, x @ weight + bias + noise


def build(case: Case, device: str = "cpu", mse: bool = False, mirror: bool = False) -> Setup:
    """The setup for ``case``; the model starts in train mode with no gradients.

    ``mse`` swaps the asymmetric loss for ``nn.MSELoss``; ``mirror`` (the grader's
    side only) uses ``MirrorSGD`` instead of ``torch.optim.SGD``.
    """
    generator = torch.Generator().manual_seed(case.seed)
    weight = torch.randn(case.n_in, 1, generator=generator, dtype=DTYPE)
    bias = torch.randn(1, generator=generator, dtype=DTYPE)
    train = [t.to(device) for t in _data(generator, case.n_train, weight, bias)]
    val = [t.to(device) for t in _data(generator, case.n_val, weight, bias)]
    events: list = []
    model = SpyRegressor(case.seed, case.n_in, events).to(device)
    optimizer = (MirrorSGD if mirror else SpySGD)(model.parameters(), case.lr, events)
    return Setup(
        model=model,
        loss_fn=nn.MSELoss() if mse else AsymmetricLoss(),
        optimizer=optimizer,
        train_loader=SpyLoader(*train, case.batch_size, events, "train"),
        val_loader=SpyLoader(*val, case.batch_size, events, "val"),
        events=events,
    )


def parameters(model: nn.Module) -> list[float]:
    """All parameters, flattened, as Python floats (weight first, then bias)."""
    return [v for p in model.parameters() for v in p.detach().cpu().flatten().tolist()]


def as_number(value):
    """``float(value)`` where that works (tensors included), else None."""
    try:
        return float(value)
    except Exception:
        return None


# --- the probes --------------------------------------------------------------


def train_steps(module, case: Case, steps: int, mirror: bool = False,
                curve: tuple[Case, int] | None = None) -> dict:
    """``steps`` calls of train_step, cycling over the training batches.

    The model starts in eval mode, as it would after a validation pass. With ``curve``, a
    ``(case, epochs)`` pair, the report's picture comes along too: ``step_curve`` run after
    the graded steps, on its own setup (``"curve"``, None when that run raised).
    """
    found = _graded_steps(module, case, steps, mirror)
    if curve is not None:
        try:
            found["curve"] = step_curve(module, *curve, mirror=mirror)
        except Exception:  # the picture is optional: the graded steps above are what counts
            found["curve"] = None
    return found


def step_curve(module, case: Case, epochs: int, mirror: bool = False,
               budget: float = CURVE_SECONDS) -> list | None:
    """The student's train_step alone (not their fit), driven over ``case``'s training
    batches with MSE for ``epochs`` epochs: each epoch's losses as it reported them, averaged
    weighted by batch size (None for an epoch with a loss that is not a number). None when it
    takes longer than ``budget`` seconds: a slow step must not run the graded probe it rides
    along with out of its time."""
    setup = build(case, mse=True, mirror=mirror)
    train_step = module.make_train_step(setup.model, setup.loss_fn, setup.optimizer)
    curve, deadline = [], time.monotonic() + budget
    for _ in range(epochs):
        if time.monotonic() > deadline:
            return None
        losses = [(as_number(train_step(x, y)), len(x)) for x, y in setup.train_loader]
        numbers = all(loss is not None for loss, _ in losses)
        curve.append(sum(loss * size for loss, size in losses) / case.n_train
                     if numbers else None)
    return curve


def _graded_steps(module, case: Case, steps: int, mirror: bool) -> dict:
    setup = build(case, mirror=mirror)
    setup.model.eval()
    batches = list(setup.train_loader)
    train_step = module.make_train_step(setup.model, setup.loss_fn, setup.optimizer)
    first, losses, trajectory = None, [], []
    for index in range(steps):
        x, y = batches[index % len(batches)]
        result = train_step(x, y)
        first = result if index == 0 else first
        losses.append(as_number(result))
        trajectory.append(parameters(setup.model))
    return {"first": first, "losses": losses, "parameters": trajectory,
            "events": setup.events}


def evaluation(module, case: Case, mirror: bool = False) -> dict:
    """evaluate() on the validation loader of a fresh model left in train mode."""
    setup = build(case, mirror=mirror)
    before = parameters(setup.model)
    result = module.evaluate(setup.model, setup.loss_fn, setup.val_loader)
    grads = [p.grad is not None for p in setup.model.parameters()]
    return {"result": result, "loss": as_number(result), "before": before,
            "after": parameters(setup.model), "grads": any(grads), "events": setup.events}


def exact_make_train_step(model, loss_fn, optimizer):
    """The correct ``make_train_step``, swapped in for the student's in the fit checks.

    An input, not an expected value: so that a mistake in ``train_step`` does not also
    fail every check of ``fit``, which look at the loop alone. Rebinding it only changes
    the student's own result.
    """

    def train_step(x, y):
        model.train()
        prediction = model(x)
        loss = loss_fn(prediction, y)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        return loss.item()

    return train_step


def exact_evaluate(model, loss_fn, loader):
    """The correct ``evaluate``, swapped in for the student's in the fit checks."""
    model.eval()
    weighted, samples = 0.0, 0
    with torch.set_grad_enabled(False):
        for x, y in loader:
            weighted += loss_fn(model(x), y).item() * len(x)
            samples += len(x)
    return weighted / samples


def fitting(module, case: Case, epochs: int, validate: bool = True,
            mirror: bool = False, exact: bool = False) -> dict:
    """fit() for ``epochs`` epochs; without ``validate`` the val_loader is left out.

    With ``exact``, the correct ``make_train_step`` and ``evaluate`` stand in for the
    student's while fit runs (a fit that trains inline is unaffected).
    """
    setup = build(case, mirror=mirror)
    args = (setup.model, setup.loss_fn, setup.optimizer, setup.train_loader, epochs)
    own = {name: getattr(module, name, None) for name in ("make_train_step", "evaluate")}
    if exact:
        module.make_train_step, module.evaluate = exact_make_train_step, exact_evaluate
    try:
        history = module.fit(*args, setup.val_loader) if validate else module.fit(*args)
    finally:
        if exact:
            module.make_train_step, module.evaluate = own["make_train_step"], own["evaluate"]
    return {"history": history, "parameters": parameters(setup.model), "events": setup.events}


def convergence(module, case: Case, epochs: int, mirror: bool = False) -> dict:
    """fit() with MSE, as in seed 004 (the grader rebuilds the data for its anchor)."""
    setup = build(case, mse=True, mirror=mirror)
    history = module.fit(setup.model, setup.loss_fn, setup.optimizer, setup.train_loader,
                         epochs, setup.val_loader)
    return {"history": history, "parameters": parameters(setup.model)}


def on_device(module, case: Case, device: str, epochs: int, mirror: bool = False) -> dict:
    """One train_step, one evaluate and a short fit with the model and data on ``device``."""
    setup = build(case, device=device, mirror=mirror)
    x, y = next(iter(setup.train_loader))
    step = module.make_train_step(setup.model, setup.loss_fn, setup.optimizer)(x, y)
    value = module.evaluate(setup.model, setup.loss_fn, setup.val_loader)
    history = module.fit(setup.model, setup.loss_fn, setup.optimizer, setup.train_loader,
                         epochs, setup.val_loader)
    devices = sorted({str(p.device) for p in setup.model.parameters()})
    return {"step": step, "evaluate": value, "history": history, "devices": devices,
            "parameters": parameters(setup.model)}
