"""Every catalogued mistake is caught with its hint; every alternative earns full marks."""

from __future__ import annotations

import pytest
from catalogue import (
    Mistake,
    alternatives,
    failed_hints,
    mistake_problems,
    mistakes,
    submission_files,
)

from graders import EXERCISES
from graders._report import PASSED

MIN_MISTAKES = 10
MIN_ALTERNATIVES = 2


@pytest.fixture(scope="session")
def graded(grade_files):
    """Grade each catalogue file once per session; several tests read the same report."""
    cache = {}

    def run(exercise: str, path):
        if path not in cache:
            files = submission_files(exercise, path)
            cache[path] = grade_files(files, [exercise]).exercise(exercise)
        return cache[path]

    return run


@pytest.mark.parametrize("mistake", mistakes(), ids=lambda m: m.id)
def test_mistake_is_caught_with_its_hint(graded, mistake: Mistake):
    result = graded(mistake.exercise, mistake.path)
    assert mistake_problems(result, mistake) == []
    assert result.score < result.max_score


@pytest.mark.parametrize("path", alternatives(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_alternative_scores_full_marks(graded, path):
    result = graded(path.parent.name, path)
    lost = failed_hints(result)
    assert not lost, f"correct alternative {path.name} lost points: {lost}"
    assert result.score == result.max_score > 0


@pytest.mark.parametrize("exercise", EXERCISES)
def test_catalogue_is_large_enough(exercise):
    assert len(mistakes(exercise)) >= MIN_MISTAKES
    assert len(alternatives(exercise)) >= MIN_ALTERNATIVES


@pytest.mark.parametrize("exercise", EXERCISES)
def test_no_dead_checks(graded, grade_files, exercise):
    """Every check that carries points is failed by at least one catalogued mistake."""
    reference = grade_files({}, [exercise]).exercise(exercise)  # missing file: lists checks
    killed = set()
    for mistake in mistakes(exercise):
        killed |= set(failed_hints(graded(exercise, mistake.path)))
    live = {c.check for c in reference.checks if c.max_points > 0}
    assert live - killed == set(), f"checks no mistake fails: {sorted(live - killed)}"
    assert all(c.status != PASSED for c in reference.checks)
