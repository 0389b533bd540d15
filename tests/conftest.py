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

    def run(files: dict[str, Path | str], exercises: list[str] | None = None, timeout=None,
            variant=None):
        directory = tmp_path_factory.mktemp("submission")
        for name, source in files.items():
            target = directory / f"{name}.py"
            if isinstance(source, Path):
                shutil.copyfile(source, target)
            else:
                target.write_text(source)
        return grade(directory, exercises or list(files), sandbox=sandbox, timeout=timeout,
                     variant=variant)

    return run


class ProbeMemory:
    """The suite's sandbox, remembering each probe's outcome by submission folder, probe and
    arguments: grading the same files again (as the student kit would, replaying the answer
    key) runs no student code twice. Grading is deterministic (fixed seeds, a fresh child per
    probe), so a remembered outcome is the one a new child would give."""

    def __init__(self, sandbox: Sandbox) -> None:
        self._sandbox, self._seen = sandbox, {}

    def __getattr__(self, name: str):
        return getattr(self._sandbox, name)

    def run(self, directory, exercise, probe, args, kwargs, timeout, **options):
        from graders._key import Unrecordable, fingerprint

        try:
            slot = (str(directory), exercise, probe, fingerprint((args, kwargs)), timeout)
        except Unrecordable:
            return self._sandbox.run(directory, exercise, probe, args, kwargs, timeout, **options)
        if slot not in self._seen:
            self._seen[slot] = self._sandbox.run(directory, exercise, probe, args, kwargs,
                                                 timeout, **options)
        return self._seen[slot]


class Catalogue:
    """Each catalogue file graded once per session (several tests read the same report), and
    again replaying an answer key, in the same folder, from remembered probe outcomes."""

    def __init__(self, sandbox: Sandbox, tmp_path_factory) -> None:
        self._memory, self._tmp = ProbeMemory(sandbox), tmp_path_factory
        self._folders: dict = {}
        self._reports: dict = {}

    def _folder(self, exercise: str, path) -> Path:
        from catalogue import submission_files

        if path not in self._folders:
            folder = self._tmp.mktemp("catalogue")
            for name, source in submission_files(exercise, path).items():
                shutil.copyfile(source, folder / f"{name}.py")
            self._folders[path] = folder
        return self._folders[path]

    def __call__(self, exercise: str, path):
        """The exercise's result, graded with the reference (the instructor's kit)."""
        from graders import grade

        if path not in self._reports:
            report = grade(self._folder(exercise, path), [exercise], sandbox=self._memory)
            self._reports[path] = report.exercise(exercise)
        return self._reports[path]

    def replay(self, exercise: str, path, key):
        """The same files graded as the student kit grades them: from the answer ``key``."""
        from graders import _key, grade

        self(exercise, path)
        with _key.using("replay", key):
            report = grade(self._folder(exercise, path), [exercise], sandbox=self._memory)
        return report.exercise(exercise)


@pytest.fixture(scope="session")
def graded(sandbox, tmp_path_factory) -> Catalogue:
    """``graded(exercise, path)``: a catalogue file's result, graded once per session;
    ``graded.replay(exercise, path, key)``: as the student kit grades it."""
    return Catalogue(sandbox, tmp_path_factory)


@pytest.fixture(scope="session")
def answer_keys(sandbox):
    """The answer key of each exercise, recorded once per worker that needs it."""
    from graders._student_kit import record

    keys: dict = {}

    def key(exercise: str):
        if exercise not in keys:
            keys[exercise] = record((exercise,), sandbox)
        return keys[exercise]

    return key


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
