"""Shared fixtures for the kit's own tests: one fork server for the whole session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graders._layout import ALL_WARM_UPS
from graders._sandbox import Sandbox


@pytest.fixture(scope="session")
def sandbox():
    """One fork server (torch imported once) for every grading run in the suite."""
    with Sandbox(warm=ALL_WARM_UPS) as shared:
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


def _group(item: pytest.Item) -> str | None:
    """Which tests must share a worker under pytest-xdist, so that what they share is paid
    once: the tests reading one module-scoped fixture (an nbgrader course, a graded class),
    and the tests of one catalogue file (graded once per worker, read by several tests)."""
    params = getattr(getattr(item, "callspec", None), "params", {})
    case = params.get("mistake") or params.get("case") or params.get("path")
    if "graded" in item.fixturenames and case is not None:
        path = Path(getattr(case, "path", case))  # tests/<kind>/<exercise>/<name>.py
        return f"{path.parent.parent.name}/{path.parent.name}/{path.stem}"
    shared = any(defs[-1].scope == "module" for defs in item._fixtureinfo.name2fixturedefs.values())
    return f"module:{item.module.__name__}" if shared else None


def _join(item: pytest.Item, group: str) -> None:
    """Put ``item`` in xdist's ``group``: the ``@group`` suffix on its node id that
    ``--dist loadgroup`` schedules by. xdist 3.8 writes it to ``item._nodeid``, which pytest
    9.2 no longer reads (node ids are structured, ``item._id``): it is written here."""
    item.add_marker(pytest.mark.xdist_group(group))
    node_id = getattr(item, "_id", None)
    if node_id is not None and hasattr(type(node_id), "parse"):
        item._id = type(node_id).parse(f"{item.nodeid}@{group}")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not hasattr(config, "workerinput"):  # an xdist worker: the controller schedules
        return
    for item in items:
        group = _group(item)
        if group:
            _join(item, group)
