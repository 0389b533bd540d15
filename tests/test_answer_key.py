"""The answer key: a student-kit grade (replaying the key) matches the full kit on every public
check of every catalogued case, and hidden checks stay out of the key and the student kit."""

from __future__ import annotations

import pytest
from catalogue import alternatives, mistakes, vacuous

from graders import EXERCISES
from graders._layout import SOLUTIONS
from graders._report import VISIBLE

CASES = ([pytest.param(m.exercise, m.path, id=m.id) for m in mistakes()]
         + [pytest.param(p.parent.name, p, id=f"alternative-{p.parent.name}-{p.stem}")
            for p in alternatives()]
         + [pytest.param(v.exercise, v.path, id=v.id) for v in vacuous()]
         + [pytest.param(name, SOLUTIONS / f"{name}.py", id=f"solution-{name}")
            for name in EXERCISES])


def _public(result) -> list[tuple]:
    return [(c.check, c.points, c.status, c.hint) for c in result.checks
            if c.visibility == VISIBLE]


@pytest.mark.parametrize(("exercise", "path"), CASES)
def test_student_kit_grades_public_checks_alike(graded, answer_keys, exercise, path):
    """Same public checks, scores and hints from the key as from the reference. (The second
    grade reuses the first one's probe outcomes: it runs no student code again.)"""
    full = graded(exercise, path)
    student = graded.replay(exercise, path, answer_keys(exercise))
    assert _public(student) == _public(full)
    assert all(c.visibility == VISIBLE for c in student.checks)
    assert student.hidden_max == sum(c.max_points for c in full.checks
                                     if c.visibility != VISIBLE)
