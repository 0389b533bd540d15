"""Where a docstring states a recipe, a plausible other recipe loses points (issue 12, item 4).

Each mutant is a reference solution with its stated optimizer, loss, learning rate or batching
replaced by one a student might reach for instead. Grading it must cost points: a check tells
the stated recipe from the other.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from catalogue import SOLUTIONS, graded_mutant


@dataclass(frozen=True)
class Recipe:
    exercise: str
    name: str
    stated: str  # the reference's own line(s)
    other: str  # what the mutant writes instead


RECIPES = [
    # logistic: "nn.BCELoss() and torch.optim.SGD(model.parameters(), lr=lr)", full batch.
    Recipe("logistic", "adam-instead-of-sgd",
           "optimizer = torch.optim.SGD(model.parameters(), lr=lr)",
           "optimizer = torch.optim.Adam(model.parameters(), lr=lr)"),
    Recipe("logistic", "sgd-with-momentum",
           "optimizer = torch.optim.SGD(model.parameters(), lr=lr)",
           "optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)"),
    Recipe("logistic", "sgd-with-weight-decay",
           "optimizer = torch.optim.SGD(model.parameters(), lr=lr)",
           "optimizer = torch.optim.SGD(model.parameters(), lr=lr, weight_decay=0.01)"),
    Recipe("logistic", "mini-batches-of-32",
           """        loss = criterion(model(x_train), y_train)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
""",
           """        for start in range(0, len(x_train), 32):
            loss = criterion(model(x_train[start:start + 32]), y_train[start:start + 32])
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
"""),
    Recipe("logistic", "summed-bce", "criterion = nn.BCELoss()",
           "criterion = nn.BCELoss(reduction='sum')"),
    # backward: batch gradient descent, both parameters updated at once from one gradient.
    Recipe("backward", "stochastic-updates",
           """        grad_a, grad_b = backward(x, y, a, b)
        a, b = a - lr * grad_a, b - lr * grad_b  # simultaneous update
""",
           """        for i in range(len(x)):
            grad_a, grad_b = backward(x[i:i + 1], y[i:i + 1], a, b)
            a, b = a - lr * grad_a, b - lr * grad_b
"""),
    Recipe("backward", "momentum",
           """        grad_a, grad_b = backward(x, y, a, b)
        a, b = a - lr * grad_a, b - lr * grad_b  # simultaneous update
""",
           """        grad_a, grad_b = backward(x, y, a, b)
        velocity = 0.9 * locals().get("velocity", np.zeros(2)) + np.array([grad_a, grad_b])
        a, b = a - lr * velocity[0], b - lr * velocity[1]
"""),
    # training: fit averages the batches' losses weighted by their sizes, one step per batch.
    Recipe("training", "one-step-per-epoch",
           """        for x, y in train_loader:
            total += train_step(x, y) * len(x)
            count += len(x)
""",
           """        batches = list(train_loader)
        x = torch.cat([batch[0] for batch in batches])
        y = torch.cat([batch[1] for batch in batches])
        total, count = train_step(x, y) * len(x), len(x)
"""),
    # digits: "nn.CrossEntropyLoss() and torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)".
    Recipe("digits", "sgd-instead-of-adam",
           "optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)",
           "optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE)"),
    Recipe("digits", "adamw-instead-of-adam",
           "optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)",
           "optimizer = torch.optim.AdamW(model.parameters(), lr=LEARNING_RATE)"),
    Recipe("digits", "adam-at-its-default-lr",
           "optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)",
           "optimizer = torch.optim.Adam(model.parameters())"),
]


def test_each_recipe_is_the_references_own():
    for recipe in RECIPES:
        assert recipe.stated in (SOLUTIONS / f"{recipe.exercise}.py").read_text(), recipe.name


@pytest.mark.parametrize("recipe", RECIPES, ids=lambda r: f"{r.exercise}/{r.name}")
def test_another_recipe_costs_points(grade_files, recipe: Recipe):
    source = (SOLUTIONS / f"{recipe.exercise}.py").read_text().replace(recipe.stated,
                                                                      recipe.other)
    result = graded_mutant(grade_files, recipe.exercise, source)
    assert result.max_score > 0
    assert result.score < result.max_score, (
        f"{recipe.exercise}: {recipe.name} earns full marks where the docstring states "
        "another recipe")
    # Hints never blame what is right: the seeding and the start are the reference's own.
    blamed = [c.check for c in result.checks if c.status == "failed"
              and ("manual_seed" in c.hint or "start" in c.hint.split(" got ")[-1].lower())]
    assert blamed == [], f"{recipe.name}: the hints of {blamed} blame the seed or the start"
