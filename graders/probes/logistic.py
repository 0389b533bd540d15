"""Probes for the logistic exercise (run in the child, beside the student's code).

Each probe calls the student's functions and returns plain data: the tensors
they returned, losses, parameters. The synthetic training data comes from a
``Case`` the parent rebuilds too (``data``), so that the trusted parent can run
its twin of the reference on exactly the same numbers. Nothing here imports
scikit-learn: only the student's ``load_breast_cancer_split`` does.
"""

from __future__ import annotations

import os
import traceback
from dataclasses import dataclass

import torch
from torch import nn


@dataclass(frozen=True)
class Case:
    """Synthetic, seeded training data and the arguments of one train_logistic call."""

    seed: int
    samples: int = 40
    features: int = 3
    epochs: int = 6
    lr: float = 0.1

    def __str__(self) -> str:
        return (f"{self.samples} samples, {self.features} features, epochs={self.epochs}, "
                f"lr={self.lr}, seed={self.seed}")


def data(case: Case) -> tuple[torch.Tensor, torch.Tensor]:
    """Points and 0/1 labels drawn from a random logistic model: float32, labels (N, 1)."""
    generator = torch.Generator().manual_seed(1000 + case.seed)
    x = torch.randn(case.samples, case.features, generator=generator)
    weight = 2 * torch.randn(case.features, 1, generator=generator)
    labels = torch.bernoulli(torch.sigmoid(x @ weight), generator=generator)
    return x, labels


def linear_layers(model) -> list:
    """Every nn.Linear inside ``model`` (a bare one, or one inside a block)."""
    return [m for m in model.modules() if isinstance(m, nn.Linear)] if isinstance(
        model, nn.Module) else []


def linear_parameters(model) -> list | None:
    """The weight then the bias of the model's one nn.Linear, as floats (None without one)."""
    layers = linear_layers(model)
    if len(layers) != 1:
        return None
    return [v for p in layers[0].parameters() for v in p.detach().cpu().flatten().tolist()]


def as_floats(values) -> list | None:
    """``[float(v) for v in values]`` where that works, else None."""
    try:
        return [float(v) for v in values]
    except Exception:
        return None


# --- the probes -----------------------------------------------------------------


def splits(module, calls: list[dict]) -> list:
    """``load_breast_cancer_split(**kwargs)`` for each kwargs (``{}``: the defaults)."""
    return [module.load_breast_cancer_split(**kwargs) for kwargs in calls]


def structure(module, num_features: int) -> dict:
    """The linear layers of ``LogisticRegression(num_features)`` and its parameter count."""
    model = module.LogisticRegression(num_features)
    layers = [{"in": m.in_features, "out": m.out_features, "bias": m.bias is not None}
              for m in linear_layers(model)]
    count = sum(p.numel() for p in model.parameters())
    return {"module": isinstance(model, nn.Module), "layers": layers, "parameters": count}


def forward(module, num_features: int, batch: int, seed: int) -> dict:
    """A forward pass on a seeded batch (the parent regenerates it) and the layer's parameters."""
    torch.manual_seed(seed)
    model = module.LogisticRegression(num_features)
    x = torch.randn(batch, num_features, generator=torch.Generator().manual_seed(seed))
    return {"output": model(x), "parameters": linear_parameters(model)}


def on_meta(module, num_features: int, batch: int):
    """The output of a model moved to the meta device, on a meta batch."""
    model = module.LogisticRegression(num_features).to("meta")
    return model(torch.empty(batch, num_features, device="meta"))


def training(module, case: Case) -> dict:
    """``train_logistic`` on the case's data: what it returned, its losses and parameters."""
    x, y = data(case)
    result = module.train_logistic(x, y, epochs=case.epochs, lr=case.lr, seed=case.seed)
    info = {"type": type(result).__name__, "length": None, "losses": None,
            "floats": None, "parameters": None, "model": None}
    if isinstance(result, (tuple, list)):
        info["length"] = len(result)
    if info["length"] == 2:
        model, losses = result
        info.update(model=isinstance(model, nn.Module), losses=losses,
                    floats=as_floats(losses) if isinstance(losses, list) else None,
                    parameters=linear_parameters(model))
    return info


def _attempt(module, function, *args) -> dict:
    """``{"value": function(module, *args)}``, or the exception it raised as plain data, so
    that one failing part of ``with_data`` does not hide the other."""
    try:
        return {"value": function(module, *args)}
    except Exception as error:
        if isinstance(error, AttributeError) and getattr(error, "obj", None) is module:
            name = os.path.basename(module.__file__)
            return {"missing": f"{name} does not define `{error.name}`"}
        folder = os.path.dirname(os.path.abspath(module.__file__))
        frames = [f for f in traceback.extract_tb(error.__traceback__)
                  if f.filename.startswith(folder)]
        where = f"{os.path.basename(frames[-1].filename)}, line {frames[-1].lineno}" if (
            frames) else ""
        return {"raised": [type(error).__name__, str(error)[:2000], where]}


def with_data(module, calls: list[dict], seeds: list[int]) -> dict:
    """Every probe that loads the data, in one child: scikit-learn is imported once (seconds)."""
    return {"splits": _attempt(module, splits, calls),
            "accuracy": _attempt(module, accuracy, seeds)}


def accuracy(module, seeds: list[int]) -> list[dict]:
    """The default split, then the default training for each seed: test accuracy and losses."""
    x_train, x_test, y_train, y_test = module.load_breast_cancer_split()
    runs = []
    for seed in seeds:
        model, losses = module.train_logistic(x_train, y_train, seed=seed)
        with torch.no_grad():
            predicted = (model(x_test).reshape(-1) > 0.5).float()
        correct = (predicted == y_test.reshape(-1).float()).float().mean().item()
        runs.append({"accuracy": correct, "losses": as_floats(losses)})
    return runs
