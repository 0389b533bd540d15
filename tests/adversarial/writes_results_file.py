"""Writes a results.json claiming full marks everywhere it might be read.

Its working directory, its box, the directory it was submitted in and
Gradescope's /autograder/results. The grader reads only the result file the
child was given, through a closed decoder, and writes reports itself. The
honest part returns a tensor for NumPy inputs.

checks: numpy_returns_float
score: 0
hint: For NumPy inputs return a Python float
"""

import gc
import json
import os

import numpy as np
import torch

CLAIM = json.dumps({"score": 100, "max_score": 100, "tests": [], "output": "All checks passed"})


def _places() -> list[str]:
    places = [os.getcwd(), os.path.dirname(os.readlink("/proc/self/fd/3")), "/autograder/results"]
    for thing in gc.get_objects():
        if type(thing).__name__ == "ProbeRequest":
            places.append(thing.directory)
            break
    return places


def mse(y_pred, y):
    for folder in _places():
        for name in ("results.json", "torchgrade-pwned-results.json", "result.pt"):
            try:
                os.makedirs(folder, exist_ok=True)
                with open(os.path.join(folder, name), "w") as handle:
                    handle.write(CLAIM)
            except OSError:
                pass
    return torch.as_tensor(np.mean((np.asarray(y_pred) - np.asarray(y)) ** 2))
