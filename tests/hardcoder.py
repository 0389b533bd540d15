"""A hostile student who holds the public answer key: a submission that answers from it.

``hard_coder(exercise, key)`` writes an exercise module that defines every function the
graders asked the reference for. Each call looks its arguments up in the key (as the grader
fingerprints them, also with tensors turned into arrays) and returns the recorded answer;
anything it has not seen gets a number made from its inputs, so that its wrong answers
differ from student to student.
"""

from __future__ import annotations

import base64
import inspect
import io

from graders import _key

TEMPLATE = '''"""Answers copied from the public answer key."""

import base64
import hashlib
import io
import struct

import numpy as np
import torch

{fingerprint}

{feed}

ANSWERS = torch.load(io.BytesIO(base64.b64decode({answers!r})), weights_only=True)


def _as_arrays(value):
    if isinstance(value, torch.Tensor):
        return value.detach().numpy()
    if isinstance(value, (list, tuple)):
        return type(value)(_as_arrays(item) for item in value)
    if isinstance(value, dict):
        return {{name: _as_arrays(item) for name, item in value.items()}}
    return value


def _answer(name, args, kwargs):
    tensors = any(isinstance(arg, torch.Tensor) for arg in args)
    for form in ((args, kwargs), (_as_arrays(args), _as_arrays(kwargs))):
        try:
            found = ANSWERS.get(name + ":" + fingerprint(form))
        except TypeError:
            found = None
        if found is not None:
            if isinstance(found, dict) and "__ndarray__" in found:
                found = found["__ndarray__"].numpy()
            if tensors and isinstance(found, (float, int)):
                return torch.tensor(float(found))
            return found
    numbers = [float(np.sum(_as_arrays(arg))) for arg in args
               if isinstance(arg, (np.ndarray, torch.Tensor))]
    return sum(numbers) if numbers else 0.0

{functions}
'''

FUNCTION = '''
def {name}(*args, **kwargs):
    return _answer({name!r}, args, kwargs)
'''


def _source(function) -> str:
    """A function of graders/_key.py as a submission holds it: no annotations to resolve."""
    text = inspect.getsource(function).replace("Unrecordable", "TypeError")
    return text.replace(": Any", "").replace(" -> str", "").replace(" -> None", "")


def hard_coder(exercise: str, key: _key.AnswerKey) -> str:
    """The source of a submission that answers ``exercise`` from ``key`` alone."""
    import torch

    prefix = f"{exercise}:"
    answers = {slot[len(prefix):]: value for slot, value in key.answers.items()
               if slot.startswith(prefix) and slot.count(":") == 2}
    buffer = io.BytesIO()
    torch.save(answers, buffer)
    names = sorted({slot.split(":")[0] for slot in answers})
    return TEMPLATE.format(
        fingerprint=_source(_key.fingerprint), feed=_source(_key._feed),
        answers=base64.b64encode(buffer.getvalue()).decode(),
        functions="".join(FUNCTION.format(name=name) for name in names),
    )

