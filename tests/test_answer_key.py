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


# digits imports its siblings; a wrong one is named by the sibling's own (public) grader.
BROKEN_SIBLINGS = [
    pytest.param("net", "no_relu_after_convs", id="net-no_relu_after_convs"),
    pytest.param("dataset", "getitem_swapped", id="dataset-getitem_swapped"),
    pytest.param("training", "forgets_zero_grad", id="training-forgets_zero_grad"),
]


@pytest.mark.parametrize(("sibling", "mistake"), BROKEN_SIBLINGS)
def test_a_broken_sibling_costs_digits_nothing_and_the_student_kit_says_so(
        sandbox, tmp_path, answer_keys, sibling, mistake):
    """The reference digits with one wrong sibling. The instructor's kit grades digits beside
    the reference sibling: full marks (the sibling's own grader takes the points). The
    student kit holds no reference sibling to put there: each public check of digits says to
    fix the sibling first, and that the instructor's grade does not charge digits for it."""
    import shutil

    from catalogue import HERE, submission_files

    from graders import _key, grade

    for name, source in submission_files("digits", SOLUTIONS / "digits.py").items():
        shutil.copyfile(source, tmp_path / f"{name}.py")
    shutil.copyfile(HERE / "mistakes" / sibling / f"{mistake}.py", tmp_path / f"{sibling}.py")
    full = grade(tmp_path, ["digits"], sandbox=sandbox).exercise("digits")
    with _key.using("replay", answer_keys("digits")):
        student = grade(tmp_path, ["digits"], sandbox=sandbox).exercise("digits")
    assert full.score == full.max_score
    public = [c for c in student.checks if c.visibility == VISIBLE]
    assert public
    assert all(c.status != "passed" for c in public)
    failed = [c.hint for c in public if c.status == "failed"]
    assert failed
    assert all(f"Fix {sibling}.py first" in hint for hint in failed)
    assert all("costs you only that exercise's" in hint for hint in failed)
