"""Every catalogued mistake is caught with its hint; every alternative earns full marks."""

from __future__ import annotations

import pytest

from catalogue import Mistake, alternatives, matches, mistakes
from graders import EXERCISES
from graders._report import FAILED, PASSED

MIN_MISTAKES = 10
MIN_ALTERNATIVES = 2


@pytest.fixture(scope="session")
def graded(grade_files):
    """Grade each catalogue file once per session; several tests read the same report."""
    cache = {}

    def run(exercise: str, path):
        if path not in cache:
            cache[path] = grade_files({exercise: path}, [exercise]).exercise(exercise)
        return cache[path]

    return run


@pytest.mark.parametrize("mistake", mistakes(), ids=lambda m: m.id)
def test_mistake_is_caught_with_its_hint(graded, mistake: Mistake):
    result = graded(mistake.exercise, mistake.path)
    failed = {c.check: c for c in result.checks if c.status == FAILED}
    for name in mistake.fails:
        hits = [check for check in failed if matches(check, name)]
        assert hits, f"{mistake.id} should fail {name}; failed: {sorted(failed)}"
        for check in hits:
            assert mistake.hint in failed[check].hint, (
                f"{mistake.id}: hint of {check} lacks {mistake.hint!r}: {failed[check].hint}"
            )
    assert result.score < result.max_score


@pytest.mark.parametrize("path", alternatives(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_alternative_scores_full_marks(graded, path):
    result = graded(path.parent.name, path)
    lost = [c.hint for c in result.checks if c.status == FAILED]
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
        result = graded(exercise, mistake.path)
        killed |= {c.check for c in result.checks if c.status == FAILED}
    live = {c.check for c in reference.checks if c.max_points > 0}
    assert live - killed == set(), f"checks no mistake fails: {sorted(live - killed)}"
    assert all(c.status != PASSED for c in reference.checks)
