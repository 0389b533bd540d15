"""The pictures the graders record for the HTML report (``graders._figures``).

Graded here: the solutions and one catalogued mistake per kind of picture, each once per
module and only through the checks that record the pictures (``FIGURE_CHECKS``; a check
that waits for one left out of the run is not held back). The solutions' pictures must agree
with the reference (no departure, no wrong layer, the same gradients, a stable softmax) and
each mistake's must show its slip. Then the records themselves, without grading: whatever a
child sent, they keep finite floats, small int shapes and short printable labels, and mark
the right epoch.
"""

from __future__ import annotations

import itertools
import math
import shutil

import pytest
from catalogue import HERE, SOLUTIONS, submission_files

from graders._figures import (
    LABEL,
    MAX_POINTS,
    MAX_ROWS,
    Gradients,
    LossCurves,
    ShapeTable,
    Softmax,
)

FIGURE_CHECKS = {  # the checks that record each exercise's pictures
    "training": ["train_step_parameters", "fit_converges"],
    "logistic": ["loss_decreases"],
    "digits": ["training_accuracy"],
    "net": ["layers_default", "forward_values"],
    "backward": ["matches_autograd"],
    "autograd": ["leaf_gradients_seed_examples"],
    "classification": ["softmax_stable"],
}
KINDS = {"training": [LossCurves, LossCurves], "logistic": [LossCurves],
         "digits": [LossCurves], "net": [ShapeTable], "backward": [Gradients],
         "autograd": [Gradients], "classification": [Softmax]}
SLIPS = [("net", "flatten_everything"), ("net", "no_padding"),
         ("training", "zero_grad_between_backward_and_step"),
         ("training", "forgets_zero_grad"), ("logistic", "gradient_ascent"),
         ("classification", "softmax_unstable"), ("backward", "sign_flip")]


@pytest.fixture(scope="module")
def results(sandbox, tmp_path_factory) -> dict:
    """(exercise, mistake or None for the solution) -> its ExerciseResult."""
    from graders import grade

    graded = {}
    for exercise, stem in [(exercise, None) for exercise in FIGURE_CHECKS] + SLIPS:
        path = (SOLUTIONS / f"{exercise}.py" if stem is None
                else HERE / "mistakes" / exercise / f"{stem}.py")
        folder = tmp_path_factory.mktemp("figures")
        for name, source in submission_files(exercise, path).items():
            shutil.copyfile(source, folder / f"{name}.py")
        report = grade(folder, [exercise], sandbox=sandbox, checks=FIGURE_CHECKS[exercise])
        graded[exercise, stem] = report.exercise(exercise)
    return graded


def _near(got: tuple, expected: tuple, rtol: float = 1e-3) -> bool:
    return len(got) == len(expected) and all(
        g is not None and e is not None and math.isclose(g, e, rel_tol=rtol, abs_tol=1e-9)
        for g, e in zip(got, expected, strict=True))


@pytest.mark.parametrize("exercise", list(FIGURE_CHECKS))
def test_the_solutions_pictures_agree_with_the_reference(results, exercise):
    result = results[exercise, None]
    assert [c.check for c in result.checks if c.status != "passed"] == []
    # One picture per recording check, not one per parametrized case.
    assert [type(f) for f in result.figures] == KINDS[exercise]
    for figure in result.figures:
        if isinstance(figure, LossCurves):
            assert (figure.departure, figure.why) == (None, "")
            assert len(figure.student) == len(figure.reference) > 1
        elif isinstance(figure, ShapeTable):
            assert figure.first_wrong is None
            assert [row.layer for row in figure.rows] == ["input", "conv1", "pool", "conv2",
                                                          "pool", "flatten", "fc1", "fc2"]
            assert figure.rows[-1].got == (4, 5)  # the pictured case: 5 classes, 4 images
        elif isinstance(figure, Gradients):
            assert len(figure.parameters) == len(figure.student) > 1
            assert _near(figure.student, figure.reference)
        else:
            assert figure.stable
            assert _near(figure.student, figure.reference)
            assert len(figure.logits) == len(figure.student) == 12


def _only(results, exercise: str, stem: str, kind: type, index: int = 0):
    figures = [f for f in results[exercise, stem].figures if isinstance(f, kind)]
    return figures[index]


def test_a_flatten_that_drops_the_batch_shows_in_its_row(results):
    table = _only(results, "net", "flatten_everything", ShapeTable)
    wrong = table.rows[table.first_wrong]
    assert (wrong.layer, wrong.expected, wrong.got) == ("flatten", (4, 1280), (5120,))
    assert [row.got for row in table.rows[6:]] == [None, None]  # fc1 raised: no tensor after


def test_layers_that_fail_still_show_where_the_shapes_go_wrong(results):
    """no_padding fails layers_default, so forward_values (the usual table) waits: the table
    comes from the student's own layers instead, and points at conv1."""
    result = results["net", "no_padding"]
    assert [c.check for c in result.checks if c.status == "failed"] == ["layers_default"]
    (table,) = result.figures
    wrong = table.rows[table.first_wrong]
    assert (wrong.layer, wrong.expected, wrong.got) == ("conv1", (4, 12, 28, 28), (4, 12, 24, 24))
    assert "your own layers" in table.title


@pytest.mark.parametrize(("stem", "why"), [("zero_grad_between_backward_and_step", "stalls"),
                                            ("forgets_zero_grad", "diverges")])
def test_a_step_that_never_moves_or_accumulates_shows_on_its_curve(results, stem, why):
    figures = results["training", stem].figures
    assert len(figures) == 1  # fit_converges waits for the step: it did not run
    assert (figures[0].why, figures[0].departure is not None) == (why, True)


def test_gradient_ascent_diverges_from_the_start(results):
    curves = _only(results, "logistic", "gradient_ascent", LossCurves)
    assert (curves.departure, curves.why) == (1, "diverges")
    assert curves.student[-1] > curves.student[0] > curves.reference[-1]


def test_a_softmax_without_the_max_is_not_stable(results):
    softmax = _only(results, "classification", "softmax_unstable", Softmax)
    assert not softmax.stable
    assert softmax.student[:3] == (None, None, None)  # the row around +1000 overflowed
    assert _near(softmax.student[6:9], softmax.reference[6:9])  # the zeros row did not


def test_a_sign_flip_shows_in_every_gradient(results):
    gradients = _only(results, "backward", "sign_flip", Gradients)
    assert _near(tuple(-g for g in gradients.student), gradients.reference)
    assert any(abs(g) > 1 for g in gradients.reference)


# --- the records, on hostile values (no grading) ----------------------------------------


def test_series_keep_finite_floats_and_no_more_than_their_cap():
    curves = LossCurves.of("t", [1.0, math.nan, math.inf, 10**400, True, "0.5", None, 2],
                           itertools.count())
    assert curves.student == (1.0, None, None, None, None, None, None, 2.0)
    assert len(curves.reference) == MAX_POINTS  # an endless series is cut, not read
    assert (curves.departure, curves.why) == (1, "not a number")


def test_shapes_are_small_tuples_of_ints():
    table = ShapeTable.of("t", [("a", (2, 3), [2, 3]), ("b", (2,), (2.0,)),
                                ("c", (1,), (True,)), ("d", (1,), (-1,)), ("e", (1,), (2**60,)),
                                ("f", (1,), tuple(range(9))), ("g", (1,), "(1,)"),
                                *((f"x{i}", (1,), (1,)) for i in range(100))])
    assert [row.got for row in table.rows[:7]] == [(2, 3), None, None, None, None, None, None]
    assert len(table.rows) == MAX_ROWS
    assert table.first_wrong == 1


def test_labels_are_short_and_printable():
    gradients = Gradients.of("\x1b[2J" + "t" * 500, [("w\x00\n[0]", 1, 1)] * 100)
    assert len(gradients.title) <= LABEL
    assert "\x1b" not in gradients.title
    assert gradients.parameters[0] == "w [0]"
    assert len(gradients.parameters) == len(gradients.student) == MAX_ROWS


def test_a_softmax_that_gave_nothing_is_not_stable():
    assert not Softmax.of("t", [1.0], [], [1.0]).stable
    assert not Softmax.of("t", [1000.0], [math.nan], [1.0]).stable
    assert Softmax.of("t", [1000.0], [1.0], [1.0]).stable


@pytest.mark.parametrize(("student", "reference", "marked"), [
    ([3, 2, 1], [3, 2, 1], (None, "")),
    ([3, 2.05, 1.02], [3, 2, 1], (None, "")),  # within 5 %
    ([3, 3, 3, 3], [3, 2, 1, 0.5], (1, "stalls")),
    ([3, 3.5, 4, 5], [3, 2, 1, 0.5], (1, "diverges")),
    ([3, 2, 9, 1], [3, 2, 1, 0.5], (2, "diverges")),  # past 1.5 times the start
    ([3, 2, 1.5, 1.2], [3, 2, 1, 0.5], (2, "departs")),
    ([3, 2], [3, 2, 1], (2, "ends early")),
    ([3, 2, 1, 0.5], [3, 2, 1], (3, "runs on")),
    ([3, 2, 1], [3, None, 1], (None, "")),  # a gap in the reference is not compared
    ([3, 2.5, 1], [3, None, 2], (2, "departs")),  # ... and does not shift the index
    ([3, 5, 1], [], (1, "diverges")),  # no reference: only a blow-up is marked
])
def test_the_departure_is_the_first_epoch_off_the_reference(student, reference, marked):
    curves = LossCurves.of("t", student, reference)
    assert (curves.departure, curves.why) == marked
