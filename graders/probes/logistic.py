"""Probes for the logistic exercise (run in the child, beside the student's code).

Each probe calls the student's functions and returns only what they produced:
the tensors they returned, losses, the trained parameters. Everything expected
(reference runs, accuracies) and every comparison is computed in the parent,
because anything here, these helpers included, can be rebound by the
submission when it is imported. The synthetic training data comes from a
``Case`` the parent rebuilds too (``data``), and the breast cancer split the
accuracy runs train on is sent by the parent, so that it can rerun the
reference on exactly the same numbers. Nothing here imports scikit-learn: only
the student's ``load_breast_cancer_split`` does.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from graders._child import attribute


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


# --- the probes -----------------------------------------------------------------


def splits(module, calls: list[dict]) -> list:
    """``load_breast_cancer_split(**kwargs)`` for each kwargs (``{}``: the defaults)."""
    split = attribute(module, "load_breast_cancer_split")
    return [split(**kwargs) for kwargs in calls]


def structure(module, num_features: int) -> dict:
    """The linear layers of ``LogisticRegression(num_features)`` and its parameter count."""
    model = attribute(module, "LogisticRegression")(num_features)
    layers = [{"in": m.in_features, "out": m.out_features, "bias": m.bias is not None}
              for m in linear_layers(model)]
    count = sum(p.numel() for p in model.parameters())
    return {"module": isinstance(model, nn.Module), "layers": layers, "parameters": count}


def forward(module, num_features: int, batch: int, seed: int) -> dict:
    """A forward pass on a seeded batch (the parent regenerates it) and the layer's parameters."""
    torch.random.manual_seed(seed)
    model = attribute(module, "LogisticRegression")(num_features)
    x = torch.randn(batch, num_features, generator=torch.Generator().manual_seed(seed))
    return {"output": model(x), "parameters": linear_parameters(model)}


def on_meta(module, num_features: int, batch: int):
    """The output of a model moved to the meta device, on a meta batch."""
    model = attribute(module, "LogisticRegression")(num_features).to("meta")
    return model(torch.empty(batch, num_features, device="meta"))


def training(module, case: Case) -> dict:
    """``train_logistic`` on the case's data: what it returned, its losses and parameters, and
    the parameters of the model it built as they were before training (``start``), so that the
    parent can follow the student's own run from the student's own start."""
    x, y = data(case)
    torch.manual_seed(2**31 - 1)  # a run that never seeds is not graded on chance
    starts: list = []
    kind = attribute(module, "LogisticRegression")
    if isinstance(kind, type) and issubclass(kind, nn.Module):

        class Recorded(kind):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                starts.append(linear_parameters(self))

        Recorded.__name__, Recorded.__qualname__ = kind.__name__, kind.__qualname__
        module.LogisticRegression = Recorded
    try:
        result = attribute(module, "train_logistic")(x, y, epochs=case.epochs, lr=case.lr,
                                                     seed=case.seed)
    finally:
        module.LogisticRegression = kind
    info = {"type": type(result).__name__, "length": None, "losses": None,
            "parameters": None, "model": None, "start": starts[0] if len(starts) == 1 else None}
    if isinstance(result, (tuple, list)):
        info["length"] = len(result)
    if info["length"] == 2:
        model, losses = result
        info.update(model=isinstance(model, nn.Module), losses=losses,
                    parameters=linear_parameters(model))
    elif isinstance(result, nn.Module):  # the model alone: its parameters still tell
        info["parameters"] = linear_parameters(result)
    return info


def runs(module, x_train: torch.Tensor, y_train: torch.Tensor, seeds: list[int]) -> list[dict]:
    """``train_logistic`` with its defaults on the parent's split, once per seed: the losses
    and the trained parameters (the parent measures the test accuracy itself)."""
    train = attribute(module, "train_logistic")
    torch.manual_seed(2**31 - 1)  # a run that never seeds is not graded on chance
    found = []
    for seed in seeds:
        result = train(x_train, y_train, seed=seed)
        pair = isinstance(result, (tuple, list)) and len(result) == 2
        model, losses = result if pair else (result, None)
        found.append({"pair": pair, "losses": losses, "parameters": linear_parameters(model)})
    return found
