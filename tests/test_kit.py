"""The kit's digest: which files it covers, and what counts as a change."""

from __future__ import annotations

import shutil
from dataclasses import replace

import pytest

from graders._kit import KitChanged, kit_digest, verify
from graders._layout import ROOT


@pytest.fixture
def kit(tmp_path):
    """A small kit: graders, solutions and the files next to them."""
    for name, text in {
        "graders/test_mse.py": "grader",
        "graders/probes/mse.py": "probe",
        "graders/pytest.ini": "[pytest]",
        "solutions/mse.py": "reference",
        "pyproject.toml": "[project]",
        "README.md": "not the kit",
        "exercises/mse.py": "the student's stub",
        "graders/__pycache__/test_mse.cpython-311.pyc": "bytecode",
    }.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


def test_covers_graders_solutions_and_config_only(kit):
    assert [path for path, _ in kit_digest(kit).files] == [
        "graders/probes/mse.py",
        "graders/pytest.ini",
        "graders/test_mse.py",
        "pyproject.toml",
        "solutions/mse.py",
    ]


def test_an_unchanged_kit_verifies(kit):
    digest = kit_digest(kit)
    (kit / "README.md").write_text("edited")
    (kit / "exercises" / "mse.py").write_text("edited")
    verify(digest)
    assert digest == kit_digest(kit)


def test_every_change_is_named(kit):
    digest = kit_digest(kit)
    (kit / "solutions" / "mse.py").write_text("def mse(y_pred, y):\n    return 0.0\n")
    (kit / "graders" / "conftest.py").write_text("import os")  # pytest would load it
    (kit / "graders" / "probes" / "mse.py").unlink()
    with pytest.raises(KitChanged) as raised:
        verify(digest)
    assert raised.value.files == (
        "graders/conftest.py",
        "graders/probes/mse.py",
        "solutions/mse.py",
    )
    assert "solutions/mse.py" in str(raised.value)
    assert "refusing to record grades" in str(raised.value)


def test_an_unreadable_file_is_a_change(kit):
    digest = kit_digest(kit)
    target = kit / "graders" / "test_mse.py"
    target.unlink()
    target.mkdir()  # still there, no longer a readable file
    assert digest.changed(kit_digest(kit)) == ("graders/test_mse.py",)


def test_the_fingerprint_sums_up_files_and_versions_wherever_the_kit_lives(kit, tmp_path):
    digest = kit_digest(kit)
    assert len(digest.fingerprint) == 16
    assert [package for package, _ in digest.versions] == ["torchgrade", "torch"]
    moved = shutil.copytree(kit, tmp_path / "elsewhere")
    assert kit_digest(moved).fingerprint == digest.fingerprint
    (moved / "solutions" / "mse.py").write_text("changed")
    assert kit_digest(moved).fingerprint != digest.fingerprint
    upgraded = replace(digest, versions=(("torchgrade", "0.1.0"), ("torch", "9.9")))
    assert upgraded.fingerprint != digest.fingerprint
    assert digest.changed(upgraded) == ("torch (version)",)


def test_the_real_kit():
    paths = dict(kit_digest().files)
    assert kit_digest(ROOT).root == ROOT
    expected = {"graders/_engine.py", "graders/test_mse.py", "solutions/mse.py", "pyproject.toml"}
    assert expected <= set(paths)
    assert not any(path.startswith(("tests/", "exercises/")) for path in paths)
