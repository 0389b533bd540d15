"""Shared fixtures for the kit's own tests: one fork server for the whole session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graders._sandbox import Sandbox


@pytest.fixture(scope="session")
def sandbox():
    """One fork server (torch imported once) for every grading run in the suite."""
    with Sandbox() as shared:
        yield shared


@pytest.fixture(scope="session")
def grade_files(sandbox, tmp_path_factory):
    """Grade exercise files: ``grade_files({"mse": path_or_text}, ["mse"])``."""
    from graders import grade

    def run(files: dict[str, Path | str], exercises: list[str] | None = None, timeout=None):
        directory = tmp_path_factory.mktemp("submission")
        for name, source in files.items():
            target = directory / f"{name}.py"
            if isinstance(source, Path):
                shutil.copyfile(source, target)
            else:
                target.write_text(source)
        return grade(directory, exercises or list(files), sandbox=sandbox, timeout=timeout)

    return run
