"""Probes for the digits exercise (run in the child, beside the student's code).

The student's ``digits.py`` imports their own ``net.py``, ``dataset.py`` and
``training.py`` from the same submission. ``predict`` is probed with
``SpyClassifier``, a seeded linear classifier with dropout that logs, on every
forward, whether it ran in train mode and whether it built an autograd graph;
the parent builds the same spy and runs the reference ``predict`` on it. The
training probes measure validation accuracy themselves, in eval mode without
gradients, on the validation loader of the student's ``make_digits_loaders``.
"""

from __future__ import annotations

import contextlib
import inspect
import os
import sys
import traceback

import torch
from torch import nn

SAMPLES = 1797


class SpyClassifier(nn.Module):
    """Logits ``(N, 10)`` for images ``(N, 1, 8, 8)``; logs (training, graph built) per forward."""

    def __init__(self, seed: int, classes: int = 10) -> None:
        super().__init__()
        self.linear = nn.Linear(64, classes)
        self.dropout = nn.Dropout(0.5)  # train mode changes the answers
        generator = torch.Generator().manual_seed(seed)
        with torch.no_grad():
            self.linear.weight.copy_(torch.randn(classes, 64, generator=generator))
            self.linear.bias.copy_(torch.randn(classes, generator=generator))
        self.log: list = []

    def forward(self, x):
        out = self.dropout(self.linear(x.flatten(1)))
        self.log.append((self.training, bool(out.requires_grad)))
        return out


def images(seed: int, count: int, device: str = "cpu") -> torch.Tensor:
    """Seeded digit-like images in [0, 1], shape (count, 1, 8, 8)."""
    generator = torch.Generator().manual_seed(100 + seed)
    return torch.rand(count, 1, 8, 8, generator=generator).to(device)


def spy(seed: int, device: str = "cpu") -> SpyClassifier:
    """The spy in train mode, as a model comes out of training."""
    return SpyClassifier(seed).to(device).train()


def flat_parameters(model) -> torch.Tensor | None:
    if not isinstance(model, nn.Module):
        return None
    return torch.cat([p.detach().cpu().flatten() for p in model.parameters()])


# --- the probes -----------------------------------------------------------------


def dataset(module) -> dict:
    """Length, first item, and every image and label of ``load_digits_dataset()`` stacked."""
    data = module.load_digits_dataset()
    length = len(data)
    first = data[0]
    info = {"length": length, "first": first, "images": None, "labels": None}
    if length == SAMPLES and isinstance(first, tuple) and len(first) == 2:
        pairs = [data[i] for i in range(length)]
        if all(isinstance(image, torch.Tensor) for image, _ in pairs):
            with contextlib.suppress(RuntimeError):  # images of different shapes
                info["images"] = torch.stack([image for image, _ in pairs]).reshape(length, -1)
        info["labels"] = [float(label) for _, label in pairs]
    return info


def loaders(module, seeds: list[int]) -> list[dict]:
    """What ``make_digits_loaders(seed)`` gives, for each seed (and the first seed twice)."""
    runs = []
    for seed in [*seeds, seeds[0]]:
        train, val = module.make_digits_loaders(seed)
        x, y = next(iter(train))
        val_pixels = torch.cat([batch[0].reshape(len(batch[0]), -1).sum(1) for batch in val])
        runs.append({"types": [type(train).__name__, type(val).__name__],
                     "sizes": [len(train.dataset), len(val.dataset)],
                     "batch": [list(x.shape), list(y.shape)], "val": val_pixels})
    return runs


def predictions(module, seed: int, count: int, device: str = "cpu") -> dict:
    """``predict`` on the spy, and what the spy logged."""
    model = spy(seed, device)
    labels = module.predict(model, images(seed, count, device))
    return {"labels": labels, "log": model.log}


def predictions_on_meta(module, count: int):
    """``predict`` with the model and the images on the meta device."""
    return module.predict(spy(0).to("meta"), torch.empty(count, 1, 8, 8, device="meta"))


def accuracy(model, loader) -> float:
    model.eval()
    correct = total = 0
    with torch.no_grad():
        for x, y in loader:
            correct += (model(x).argmax(dim=1) == y).sum().item()
            total += len(y)
    return correct / total


def training(module, seed: int) -> dict:
    """``train_digits(seed=seed)`` with its default epochs: validation accuracy, history, model."""
    model, history = module.train_digits(seed=seed)
    _, val = module.make_digits_loaders(seed)
    net = sys.modules.get(f"{module.__package__}.net")
    is_net = net is not None and isinstance(model, getattr(net, "Net", ()))
    default = inspect.signature(module.train_digits).parameters.get("epochs")
    return {"accuracy": accuracy(model, val), "history": history, "is_net": is_net,
            "model": type(model).__name__,
            "default_epochs": default.default if default is not None else None}


def _attempt(module, function, *args) -> dict:
    """``{"value": function(module, *args)}``, or the exception it raised as plain data, so
    that one failing part of ``data_and_training`` does not hide the others."""
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


def data_and_training(module, loader_seeds: list[int], accuracy_seed: int,
                      training_seeds: list[int]) -> dict:
    """Every probe that needs scikit-learn, in one child: it is imported once (seconds)."""
    return {"dataset": _attempt(module, dataset),
            "loaders": _attempt(module, loaders, loader_seeds),
            "training": _attempt(module, training, accuracy_seed),
            "seeded": _attempt(module, seeded, training_seeds)}


def seeded(module, seeds: list[int]) -> dict:
    """One-epoch runs: the first seed twice, then the others; are their weights equal?"""
    runs = [flat_parameters(module.train_digits(epochs=1, seed=seed)[0])
            for seed in [seeds[0], *seeds]]
    same = [a is not None and b is not None and torch.equal(a, b)
            for a, b in zip(runs[:1] * len(seeds), runs[1:], strict=True)]
    return {"repeat": same[0], "others": same[1:]}
