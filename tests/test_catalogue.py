"""Every catalogued mistake is caught with its hint; every alternative earns full marks."""

from __future__ import annotations

import pytest
from catalogue import (
    Mistake,
    Vacuous,
    alternatives,
    collateral,
    declares_core,
    earned,
    failed_hints,
    matches,
    mistake_problems,
    mistakes,
    submission_files,
    vacuous,
    variant_checks,
)

from graders import EXERCISES
from graders._report import PASSED

MIN_MISTAKES = 10
MIN_ALTERNATIVES = 2
MIN_VACUOUS = 4


@pytest.mark.parametrize("mistake", mistakes(), ids=lambda m: m.id)
def test_mistake_is_caught_with_its_hint(graded, mistake: Mistake):
    result = graded(mistake.exercise, mistake.path)
    assert mistake_problems(result, mistake) == []
    assert result.score < result.max_score


def _credit_rules(exercise: str) -> list:
    """Skip, naming why, the credit tests of a grader that declares no core yet."""
    return [] if declares_core(exercise) else [pytest.mark.skip(
        reason=f"{exercise}'s grader declares no CORE yet: gates and collateral not enforced")]


@pytest.mark.parametrize("mistake", [pytest.param(m, id=m.id, marks=_credit_rules(m.exercise))
                                     for m in mistakes()])
def test_one_slip_costs_once(graded, mistake: Mistake):
    """A mistake fails only the checks it is meant to: checks that build on an earlier result
    start from the student's own, and properties wait for their core (gated, not failed)."""
    assert collateral(graded(mistake.exercise, mistake.path), mistake) == []


@pytest.mark.parametrize("case", vacuous(), ids=lambda v: v.id)
def test_vacuous_work_earns_nothing(graded, case: Vacuous):
    """Lazy work (constants, zeros, pass-through, only raising) scores 0 on what it fakes;
    only the checks its docstring names as genuinely done may pay."""
    result = graded(case.exercise, case.path)
    paid = {check: points for check, points in earned(result).items()
            if not any(matches(check, name) for name in case.legit)}
    assert paid == {}, f"{case.id} earned points for work it did not do"


@pytest.mark.parametrize("path", alternatives(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_alternative_scores_full_marks(graded, path):
    result = graded(path.parent.name, path)
    lost = failed_hints(result)
    assert not lost, f"correct alternative {path.name} lost points: {lost}"
    assert result.score == result.max_score > 0


def _every_case() -> list:
    """Every catalogue file of the graders that declare a core (the credit rules' rollout:
    grading twice costs as much as the catalogue itself)."""
    cases = [(m.exercise, m.path) for m in mistakes()]
    cases += [(path.parent.name, path) for path in alternatives()]
    cases += [(v.exercise, v.path) for v in vacuous()]
    return [(exercise, path) for exercise, path in cases if declares_core(exercise)]


@pytest.mark.parametrize(("exercise", "path"), _every_case(),
                         ids=lambda value: getattr(value, "stem", value))
def test_grading_twice_gives_the_same_result(graded, grade_files, exercise, path):
    """Deterministic: the same file graded again gets the same points and hints."""
    first = graded(exercise, path)
    again = grade_files(submission_files(exercise, path), [exercise]).exercise(exercise)
    assert [(c.check, c.points, c.status, c.hint) for c in again.checks] == [
        (c.check, c.points, c.status, c.hint) for c in first.checks]


@pytest.mark.parametrize("exercise", EXERCISES)
def test_catalogue_is_large_enough(exercise):
    assert len(mistakes(exercise)) >= MIN_MISTAKES
    assert len(alternatives(exercise)) >= MIN_ALTERNATIVES


@pytest.mark.parametrize("exercise", [pytest.param(e, marks=_credit_rules(e)) for e in EXERCISES])
def test_every_grader_has_a_vacuous_catalogue(exercise):
    assert len(vacuous(exercise)) >= MIN_VACUOUS


@pytest.mark.parametrize("exercise", [pytest.param(e, marks=_credit_rules(e)) for e in EXERCISES])
def test_no_dead_checks(grade_files, exercise):
    """Every check that carries points is one some catalogued mistake is meant to fail
    (``test_mistake_is_caught_with_its_hint`` proves each one does)."""
    reference = grade_files({}, [exercise]).exercise(exercise)  # missing file: lists checks
    # Variant checks answer another mistake, copying the public answer key: a submission built
    # from the key fails them (tests/test_variants.py).
    variants = variant_checks(exercise)
    live = {c.check for c in reference.checks
            if c.max_points > 0 and not any(matches(c.check, name) for name in variants)}
    killed = {check for check in live for mistake in mistakes(exercise)
              if any(matches(check, name) for name in mistake.fails)}
    assert live - killed == set(), f"checks no mistake fails: {sorted(live - killed)}"
    assert all(c.status != PASSED for c in reference.checks)
