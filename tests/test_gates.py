"""Gated checks: the points marker is validated, and a property waits for its core."""

import pytest

from graders._gates import BadMarker, Worth, blocking, read_marker, reason

CHECKS = {"torch_value", "numpy_value", "inputs_unchanged", "meta_device"}
CORE = ("torch_value", "numpy_value")


def test_a_marker_says_points_and_core_checks():
    assert read_marker((2,), {}, CHECKS, CORE) == Worth(2.0)
    assert read_marker((1,), {"after": "torch_value"}, CHECKS, CORE) == Worth(1.0, ("torch_value",))
    assert read_marker((1,), {"after": CORE}, CHECKS, CORE).after == CORE


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((), {}, "use @pytest.mark.points"),
        ((1, 2), {}, "use @pytest.mark.points"),
        ((True,), {}, "a number >= 0"),
        ((-1,), {}, "a number >= 0"),
        (("3",), {}, "a number >= 0"),
        ((1,), {"before": "x"}, "use @pytest.mark.points"),
        ((1,), {"after": "torch_valu"}, "names no check"),
        ((1,), {"after": "meta_device"}, "must name core checks"),
    ],
)
def test_bad_markers_are_refused_with_a_reason(args, kwargs, message):
    with pytest.raises(BadMarker, match=message):
        read_marker(args, kwargs, CHECKS, CORE)


def test_a_case_waits_for_the_same_case_of_its_core():
    results = {"torch_value[4x3]": "passed", "torch_value[16]": "failed"}
    assert blocking("inputs_unchanged[4x3]", ("torch_value",), results) == []
    assert blocking("inputs_unchanged[16]", ("torch_value",), results) == ["torch_value"]


def test_a_check_without_that_case_waits_for_every_case():
    results = {"torch_value[4x3]": "passed", "torch_value[16]": "failed"}
    assert blocking("meta_device", ("torch_value",), results) == ["torch_value"]
    passed = {"torch_value[4x3]": "passed", "numpy_value": "passed"}
    assert blocking("meta_device", CORE, passed) == []


def test_a_core_check_left_out_of_the_run_gates_nothing():
    assert blocking("meta_device", ("torch_value",), {}) == []


def test_skipped_or_gated_cores_do_not_open_the_gate():
    assert blocking("x", ("numpy_value",), {"numpy_value": "skipped"}) == ["numpy_value"]
    assert reason("mse", ["torch_value"]) == "not graded until `mse / torch_value` passes"
    assert reason("mse", ["a", "b"]) == "not graded until `mse / a` and `mse / b` pass"


def test_a_selected_gated_check_is_graded_without_its_core(sandbox):
    """A run of chosen checks (the adversarial catalogue, ``grade(checks=...)``) may leave a
    gated check's core out: the marker still validates, and the check is graded."""
    from graders import grade
    from graders._layout import SOLUTIONS

    report = grade(SOLUTIONS, ["tensors"], sandbox=sandbox, checks=["to_batch_is_view"])
    [check] = report.exercise("tensors").checks
    assert (check.check, check.status) == ("to_batch_is_view", "passed")
