"""Where things live in the kit, and which exercises it ships (no torch here)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GRADERS = ROOT / "graders"
SOLUTIONS = ROOT / "solutions"
EXERCISES_DIR = ROOT / "exercises"

# Course order: the order students meet them in the seeds, and the report order.
EXERCISES: tuple[str, ...] = ("mse", "backward", "training", "dataset", "net", "device",
                              "tensors", "autograd", "classification", "logistic", "checkpoint",
                              "digits")


def grader_file(exercise: str) -> Path:
    return GRADERS / f"test_{exercise}.py"


# Exercises whose files import other exercises' files: a student kit with one holds the others.
SIBLINGS = {"digits": ("net", "dataset", "training")}


def in_this_kit() -> tuple[str, ...]:
    """The exercises this kit grades: all of them, or a student kit's assignment."""
    return tuple(name for name in EXERCISES if grader_file(name).is_file())


def unknown_exercises(names: list[str] | tuple[str, ...]) -> list[str]:
    return [name for name in names if name not in in_this_kit()]


# Exercises whose probes build torch.optim optimizers: their step imports torch._dynamo
# (seconds), which the fork server then imports before any probe.
OPTIMIZERS = ("training", "checkpoint", "digits", "logistic")
# Exercises whose contracts load scikit-learn's bundled data (its import takes seconds).
SCIKIT_LEARN = ("logistic", "digits")


def warm_ups(exercises: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """What the fork server should prepare before grading these exercises: ``dynamo`` (an
    optimizer's step imports torch._dynamo), else ``meta`` (a meta-device check: its first
    op, without torch._dynamo), and ``sklearn``."""
    dynamo = any(name in OPTIMIZERS for name in exercises)
    meta = not dynamo and any(grader_file(name).is_file() and
                              '"meta"' in grader_file(name).read_text() for name in exercises)
    sklearn = any(name in SCIKIT_LEARN for name in exercises)
    return ("dynamo",) * dynamo + ("meta",) * meta + ("sklearn",) * sklearn


ALL_WARM_UPS = ("dynamo", "sklearn")
