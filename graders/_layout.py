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


def unknown_exercises(names: list[str] | tuple[str, ...]) -> list[str]:
    return [name for name in names if name not in EXERCISES]
