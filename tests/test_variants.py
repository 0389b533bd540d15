"""Per-student variants, hidden checks and the manifest: hard-coding the public key earns no
hidden point, each student draws their own inputs, and a regrade draws the same ones."""

from __future__ import annotations

import json
import stat
import subprocess
import sys

import pytest
from catalogue import submission_files
from courses import fixed_secret
from hardcoder import hard_coder

from graders import EXERCISES, grade
from graders._report import GATED, VISIBLE
from graders._variant import SECRET_FILE, Variant, course_secret, secret_folder


def _grade(sandbox, tmp_path_factory, exercise: str, source: str, variant=None):
    directory = tmp_path_factory.mktemp("submission")
    for name, path in submission_files(exercise, None).items():
        (directory / f"{name}.py").write_bytes(path.read_bytes())
    (directory / f"{exercise}.py").write_text(source)
    return grade(directory, [exercise], sandbox=sandbox, variant=variant).exercise(exercise)


@pytest.fixture(scope="module")
def secret(tmp_path_factory) -> bytes:
    return course_secret(fixed_secret(tmp_path_factory.mktemp("course")))


@pytest.mark.parametrize("exercise", EXERCISES)
def test_hard_coding_the_key_earns_no_hidden_point(sandbox, tmp_path_factory, answer_keys,
                                                   secret, exercise):
    source = hard_coder(exercise, answer_keys(exercise))
    result = _grade(sandbox, tmp_path_factory, exercise, source, Variant("alice", secret))
    hidden = [c for c in result.checks if c.visibility != VISIBLE]
    assert hidden, f"{exercise} has no hidden checks"
    assert [c.check for c in hidden if c.points > 0] == []


def test_hard_coding_passes_public_values_and_fails_the_variant(sandbox, tmp_path_factory,
                                                                answer_keys, secret):
    """mse, where the key answers the value checks: they pass, and the variant check runs
    (it is not merely gated) and fails."""
    source = hard_coder("mse", answer_keys("mse"))
    result = _grade(sandbox, tmp_path_factory, "mse", source, Variant("alice", secret))
    status = {c.check: c.status for c in result.checks}
    assert {s for name, s in status.items() if name.startswith(("numpy_value",
                                                                "torch_value"))} == {"passed"}
    assert status["variant_values"] == "failed"


def test_students_draw_their_own_inputs(secret):
    alice, bob = Variant("alice", secret), Variant("bob", secret)
    assert alice.seed("mse") != bob.seed("mse")
    assert alice.seed("mse") != alice.seed("net")
    assert Variant("alice", secret).seed("mse") == alice.seed("mse")
    assert alice.public_id != bob.public_id
    assert alice.public_id.startswith("v-")
    assert Variant().seed("mse") == Variant().seed("mse")
    assert Variant().public_id == "public"
    assert alice.drawn(("mse",)).seed("mse") == alice.seed("mse")
    with pytest.raises(ValueError, match="course secret"):
        Variant("alice", b"")


def test_the_course_secret_is_made_once_and_private(tmp_path):
    first = course_secret(tmp_path)
    assert course_secret(tmp_path) == first
    assert len(first) == 32
    assert stat.S_IMODE((tmp_path / SECRET_FILE).stat().st_mode) == 0o600
    assert secret_folder(tmp_path) == (tmp_path / SECRET_FILE).parent


def test_a_regrade_draws_the_same_inputs(sandbox, tmp_path_factory, answer_keys, secret):
    """The hard-coder's wrong variant answer depends on the inputs: the same for a student
    regraded, different for another student."""
    source = hard_coder("mse", answer_keys("mse"))

    def hint(student: str) -> str:
        result = _grade(sandbox, tmp_path_factory, "mse", source, Variant(student, secret))
        return next(c.hint for c in result.checks if c.check == "variant_values")

    assert hint("alice") == hint("alice")
    assert hint("alice") != hint("bob")


def test_grade_student_reproduces_a_run_and_records_its_manifest(tmp_path):
    """``grade --student``: the student's variant, the manifest, and no secret in results."""
    course = tmp_path / "course"
    out = tmp_path / "results.json"
    subprocess.run([sys.executable, "-m", "graders", "grade", "mse", "--student", "alice",
                    "--course", str(course), "--json", str(out)], check=True,
                   capture_output=True, text=True, timeout=600)
    secret = course_secret(course, create=False)
    text = out.read_text()
    manifest = json.loads(text)["extra_data"]["manifest"]
    assert manifest["variant"] == Variant("alice", secret).public_id
    assert secret.hex() not in text
    assert manifest["kit"]["name"] == "torchgrade"
    assert manifest["versions"]["torch"]
    visibility = {c["name"]: c["visibility"] for c in manifest["checks"]}
    assert visibility["mse / variant_values"] == "after_published"
    assert visibility["mse / numpy_value[seed0-5]"] == VISIBLE
    tests = {t["name"]: t for t in json.loads(text)["tests"]}
    assert tests["mse / variant_values"]["visibility"] == "after_published"


def test_gated_hidden_checks_cost_no_extra_slip(sandbox, tmp_path_factory):
    """A stub fails its core; the variant checks wait for it (gated), as properties do."""
    from graders._layout import EXERCISES_DIR

    result = _grade(sandbox, tmp_path_factory, "mse", (EXERCISES_DIR / "mse.py").read_text())
    assert {c.status for c in result.checks if c.visibility != VISIBLE} == {GATED}
