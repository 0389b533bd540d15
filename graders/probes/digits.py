"""Probes for the digits exercise (run in the child, beside the student's code).

They only observe: what the student's functions returned, the state dict and
the type's name of the model ``train_digits`` trained. Whatever is expected,
and every comparison, is computed in the parent, because anything here
(these helpers included) can be rebound by the submission when it is imported:
the accuracy is measured there, on the student's trained weights loaded into
the reference ``Net``, and so are "is it a Net" and "same seed, same weights".

The student's ``digits.py`` imports their own ``net.py``, ``dataset.py`` and
``training.py`` from the same submission. ``predict`` is probed with
``SpyClassifier``, a seeded linear classifier with dropout that logs, on every
forward, whether it ran in train mode and whether it built an autograd graph;
the parent builds the same spy and runs the reference ``predict`` on it.
"""

from __future__ import annotations

import contextlib
import inspect
import os
import traceback

import torch
import torch.utils.data
from torch import nn

from graders._child import NotDefined, attribute

SAMPLES = 1797
MESSAGE = 500  # characters of an exception's message sent back: enough for a hint


class SpyClassifier(nn.Module):
    """Logits ``(N, 10)`` for images ``(N, 1, 8, 8)``; logs (training, graph built) per forward."""

    def __init__(self, seed: int, classes: int = 10) -> None:
        super().__init__()
        self.linear = nn.Linear(64, classes)
        self.dropout = nn.Dropout(0.5)  # train mode changes the answers
        draws = torch.Generator().manual_seed(seed)
        with torch.set_grad_enabled(False):
            self.linear.weight.copy_(torch.randn(classes, 64, generator=draws))
            self.linear.bias.copy_(torch.randn(classes, generator=draws))
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


def state(model) -> dict | None:
    """The model's state dict as a plain dict (the wire reads no OrderedDict); None if no module."""
    if not isinstance(model, nn.Module):
        return None
    return dict(model.state_dict())


# --- the probes -----------------------------------------------------------------


def dataset(module) -> dict:
    """Length, first item, and every image and label of ``load_digits_dataset()`` stacked."""
    data = attribute(module, "load_digits_dataset")()
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
        train, val = attribute(module, "make_digits_loaders")(seed)
        x, y = next(iter(train))
        val_pixels = torch.cat([batch[0].reshape(len(batch[0]), -1).sum(1) for batch in val])
        runs.append({"types": [type(train).__name__, type(val).__name__],
                     "sizes": [len(train.dataset), len(val.dataset)],
                     "batch": [list(x.shape), list(y.shape)], "val": val_pixels})
    return runs


def predictions(module, seed: int, count: int, device: str = "cpu") -> dict:
    """``predict`` on the spy, and what the spy logged."""
    model, batch = spy(seed, device), images(seed, count, device)
    torch.manual_seed(seed)  # a forward left in train mode: the parent redraws its dropout
    labels = attribute(module, "predict")(model, batch)
    return {"labels": labels, "log": model.log}


def predictions_on_meta(module, count: int):
    """``predict`` with the model and the images on the meta device."""
    return attribute(module, "predict")(spy(0).to("meta"),
                                        torch.empty(count, 1, 8, 8, device="meta"))


OPTIMIZER_SETTINGS = ("lr", "betas", "eps", "weight_decay", "amsgrad", "momentum")


def _recipe_of(loss_fn, optimizer) -> dict:
    """The loss and optimizer ``fit`` was handed: their classes and the optimizer's settings."""
    def kind(value) -> list:
        return [str(type(value).__module__), str(type(value).__qualname__)]

    defaults = getattr(optimizer, "defaults", None)
    settings = {name: defaults[name] for name in OPTIMIZER_SETTINGS
                if isinstance(defaults, dict) and name in defaults}
    return {"loss": kind(loss_fn), "reduction": str(getattr(loss_fn, "reduction", "")),
            "optimizer": kind(optimizer), "settings": settings}


def training(module, seed: int) -> dict:
    """``train_digits(seed=seed)`` with its default epochs: the model's type and state, history,
    and the recipe of its first call of ``fit`` (None when it trains without fit)."""
    train = attribute(module, "train_digits")
    torch.manual_seed(2**31 - 1)  # a run that never seeds is not graded on chance
    own_fit, recipes = getattr(module, "fit", None), []

    def watched(model, loss_fn, optimizer, *args, **kwargs):
        recipes.append(_recipe_of(loss_fn, optimizer))
        return own_fit(model, loss_fn, optimizer, *args, **kwargs)

    if callable(own_fit):
        module.fit = watched
    try:
        model, history = train(seed=seed)
    finally:
        module.fit = own_fit
    kind = type(model)
    default = inspect.signature(train).parameters.get("epochs")
    return {"type": [str(kind.__module__), str(kind.__qualname__)], "state": state(model),
            "history": history, "default_epochs": default.default if default is not None else None,
            "recipe": recipes[0] if recipes else None}


def seeded(module, seeds: list[int]) -> dict:
    """The state dicts and histories of one-epoch runs: the first seed twice, then the others."""
    train = attribute(module, "train_digits")
    torch.manual_seed(2**31 - 1)  # once: runs that never seed still differ from each other
    runs = [train(epochs=1, seed=seed) for seed in [seeds[0], *seeds]]
    return {"states": [state(run[0]) for run in runs], "histories": [run[1] for run in runs]}


def _tried(function, module, *args) -> dict:
    """``{"value": function(module, *args)}``, or what went wrong as plain text, so that one
    failing part of ``data_and_training`` does not hide the others."""
    try:
        return {"value": function(module, *args)}
    except NotDefined as error:
        return {"missing": str(error)[:MESSAGE]}
    except Exception as error:
        folder = os.path.dirname(os.path.abspath(module.__file__))
        frames = [f for f in traceback.extract_tb(error.__traceback__)
                  if f.filename.startswith(folder)]
        where = f"{os.path.basename(frames[-1].filename)}, line {frames[-1].lineno}" if (
            frames) else ""
        try:
            message = str(error)[:MESSAGE]
        except Exception:  # a student's exception whose __str__ raises
            message = ""
        return {"raised": {"type": type(error).__name__, "message": message, "where": where}}


def contract_dataset():
    """The dataset ``load_digits_dataset`` must return, built from scikit-learn here."""
    from sklearn.datasets import load_digits

    bunch = load_digits()
    images = torch.from_numpy(bunch.images).float().unsqueeze(1) / 16
    return torch.utils.data.TensorDataset(images, torch.from_numpy(bunch.target).long())


def data_and_training(module, loader_seeds: list[int], accuracy_seed: int,
                      training_seeds: list[int], contract_data: bool = False) -> dict:
    """Every probe that needs scikit-learn, in one child: it is imported once (seconds).

    ``contract_data``: only train, with the student's ``load_digits_dataset`` replaced by
    the contract's dataset (the parent found the student's wrong: that is the dataset
    checks' to grade, and training is graded on its own).
    """
    if contract_data:
        data = contract_dataset()
        module.load_digits_dataset = lambda: data
        return {"training": _tried(training, module, accuracy_seed),
                "seeded": _tried(seeded, module, training_seeds)}
    return {"dataset": _tried(dataset, module),
            "loaders": _tried(loaders, module, loader_seeds),
            "training": _tried(training, module, accuracy_seed),
            "seeded": _tried(seeded, module, training_seeds)}


# --- the siblings digits.py builds on (each probed as its own exercise) ---------------------


def sibling_net(module) -> dict:
    """``Net(1, 8, 10)``'s state and its output on a seeded batch (the parent reruns it)."""
    torch.manual_seed(0)
    net = attribute(module, "Net")(in_channels=1, image_size=8, num_classes=10)
    batch = torch.rand(3, 1, 8, 8, generator=torch.Generator().manual_seed(0))
    return {"state": state(net), "output": net(batch)}


def sibling_dataset(module) -> dict:
    """A small ``CustomDataset`` and the loaders ``make_loaders`` splits it into."""
    x, y = torch.arange(40.0).view(20, 2), torch.arange(20)
    data = attribute(module, "CustomDataset")(x, y)
    train, val = attribute(module, "make_loaders")(data, val_fraction=0.25, batch_size=4, seed=5)
    first = next(iter(train))
    return {"length": len(data), "item": data[3], "batch": len(first[1]),
            "train": torch.cat([labels for _, labels in train]),
            "val": torch.cat([labels for _, labels in val])}


def sibling_batches() -> tuple[list, list]:
    """Seeded training and validation batches for ``sibling_training`` (parent and child)."""
    generator = torch.Generator().manual_seed(0)
    x, y = torch.randn(12, 2, generator=generator), torch.randint(0, 3, (12,), generator=generator)
    return [(x[:5], y[:5]), (x[5:10], y[5:10]), (x[10:], y[10:])], [(x[:6], y[:6]), (x[6:], y[6:])]


def sibling_model() -> nn.Module:
    torch.manual_seed(0)
    return nn.Linear(2, 3)


def sibling_training(module) -> dict:
    """``fit`` for two epochs on seeded batches: its history and the model's state after."""
    model = sibling_model()
    train, val = sibling_batches()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    history = attribute(module, "fit")(model, nn.CrossEntropyLoss(), optimizer, train, 2, val)
    return {"history": history, "state": state(model)}
