"""Hostile and broken submissions earn no more than their honest code, and harm nothing else.

Each case of tests/adversarial/ (see tests/hostile.py) is graded alone, on the
checks its docstring names, in the session's sandbox; right after it a correct
submission in a sibling directory is graded in the same sandbox and must still
earn full marks. The fork server, the kit's files, the sibling submission and
the machine (processes, files, a listening socket) must come out of the whole
catalogue as they went in.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hostile import (
    Case,
    cases,
    changed,
    ipc_leftovers,
    markers,
    materialise,
    survivors,
    tree_digest,
)

from graders import grade
from graders._isolation import Layer, hideable
from graders._layout import GRADERS, ROOT, SOLUTIONS
from graders._report import FAILED, GATED, GradeReport, render_isolation
from graders._text import MAX_HINT, printable

MIN_CASES = 25
COMPANION_CHECKS = ["numpy_returns_float"]  # one cheap check: is the sandbox still sound?
DAEMON_GRACE = 2.0  # the daemon case waits 1.5 s before acting: give it the time to show
ALWAYS_ACTIVE = ("time limit", "leftover processes", "output", "files", "environment",
                 "memory", "pids", "privileges")
NAMESPACE_LAYERS = {"network": ["--net"], "process view": ["--pid", "--fork"], "ipc": ["--ipc"],
                    "filesystem": ["--mount", "--fork", "sh", "-c",
                                   "mount -t tmpfs none /tmp && mount -o remount,ro /tmp"]}


@dataclass
class Graded:
    report: GradeReport | None = None
    companion: GradeReport | None = None
    error: str = ""
    missing: list[Layer] = field(default_factory=list)


@dataclass
class Catalogue:
    graded: dict[str, Graded]
    layers: dict[str, Layer]
    changed_files: list[str]
    server_survived: bool
    connections: list[str]
    survivors: list[int]
    markers: list[str]
    ipc: list[str]


class Listener:
    """Servers that hand the reference solution to whoever connects: on 127.0.0.1, on a
    filesystem Unix socket outside every other cover, and on an abstract Unix socket."""

    def __init__(self) -> None:
        self.folder = Path(f"/var/lib/torchgrade-test-{os.getpid()}")
        # The abstract name is per process: two test runs on one machine (xdist workers,
        # two checkouts) would otherwise fight over it.
        self.sockets = [socket.create_server(("127.0.0.1", 0)),
                        self._unix(f"\0torchgrade-solution-{os.getpid()}")]
        with contextlib.suppress(OSError):  # /var/lib is root's: elsewhere /tmp (covered) only
            self.folder.mkdir(exist_ok=True)
            self.sockets.append(self._unix(str(self.folder / "solution.sock")))
        self.accepted: list[str] = []
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._serve, args=(s,), daemon=True)
                         for s in self.sockets]

    @staticmethod
    def _unix(address: str) -> socket.socket:
        server = socket.socket(socket.AF_UNIX)
        server.bind(address)
        server.listen()
        return server

    def _serve(self, server: socket.socket) -> None:
        answer = (SOLUTIONS / "mse.py").read_bytes()
        server.settimeout(0.2)
        while not self._stop.is_set():
            try:
                connection, address = server.accept()
            except OSError:
                continue
            with connection:
                self.accepted.append(str(address) or str(server.getsockname()))
                connection.sendall(b"HTTP/1.0 200 OK\r\n\r\n" + answer
                                   if server.family == socket.AF_INET else answer)

    def __enter__(self) -> Listener:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join()
        for server in self.sockets:
            server.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def _grade_case(case: Case, directory: Path, honest: Path, sandbox) -> Graded:
    graded = Graded()
    try:
        graded.report = grade(materialise(case, directory), [case.exercise], sandbox=sandbox,
                              timeout=case.timeout, checks=list(case.checks))
        graded.companion = grade(honest, ["mse"], sandbox=sandbox, checks=COMPANION_CHECKS)
    except Exception as error:  # reported by the case's test
        graded.error = f"{type(error).__name__}: {error}"
    return graded


@pytest.fixture(scope="module")
def catalogue(sandbox, tmp_path_factory) -> Catalogue:
    """Grade every case once; the tests below read what happened."""
    base = tmp_path_factory.mktemp("adversarial")
    honest = base / "honest"  # another student's correct submission, beside the hostile ones
    honest.mkdir()
    shutil.copyfile(SOLUTIONS / "mse.py", honest / "mse.py")
    watched = (GRADERS, SOLUTIONS, ROOT / "tests", honest)
    before = tree_digest(*watched)
    layers = {layer.name: layer for layer in sandbox.isolation()}
    server = sandbox._process.pid  # the fork server: it must outlive every case
    graded = {}
    with Listener() as listener:
        for case in cases():
            missing = [layers[name] for name in case.requires if not layers[name].active]
            graded[case.name] = (Graded(missing=missing) if missing else
                                 _grade_case(case, base / case.name, honest, sandbox))
    time.sleep(DAEMON_GRACE)
    return Catalogue(graded, layers, changed(before, tree_digest(*watched)),
                     sandbox._process is not None and sandbox._process.pid == server,
                     listener.accepted, survivors(), markers(), ipc_leftovers())


def _param(case: Case):
    marks = [pytest.mark.xfail(strict=True, reason=case.xfail)] if case.xfail else []
    return pytest.param(case, id=case.name, marks=marks)


def test_catalogue_is_large_enough():
    assert len(cases()) >= MIN_CASES


@pytest.mark.parametrize("case", [_param(case) for case in cases()])
def test_case_earns_no_more_than_its_honest_code(catalogue, case: Case):
    graded = catalogue.graded[case.name]
    if graded.missing:
        pytest.skip("; ".join(f"needs the {layer.name} layer, unavailable here: {layer.detail}"
                              for layer in graded.missing))
    assert not graded.error, f"grading broke on {case.name}: {graded.error}"
    result = graded.report.exercise(case.exercise)
    unmatched = [name for name in case.checks
                 if not any(c.check == name or c.check.startswith(name + "[")
                            for c in result.checks)]
    assert not unmatched, f"checks not graded: {unmatched}"
    assert result.max_score > 0
    hints = [c.hint for c in result.checks if c.status == FAILED]
    gated = [c for c in result.checks if c.status == GATED]  # its core failed: not graded
    if case.full():
        assert result.score == result.max_score, hints[:2]
    else:
        assert result.score == 0, f"{case.name} earned {result.score:g}/{result.max_score:g}"
        wrong = [h for h in hints if not any(text in h for text in case.hints)]
        assert len(hints) + len(gated) == len(result.checks)
        assert not wrong, wrong[:2]
    companion = graded.companion.exercise("mse")
    assert companion.score == companion.max_score > 0, companion.first_hint


def test_hints_are_printable_and_short(catalogue):
    """Student text (messages, reprs) reaches hints cleaned and capped: no escape can redraw
    the score table, and no message can bloat results.json."""
    hints = [check.hint for graded in catalogue.graded.values() if graded.report
             for exercise in graded.report.exercises for check in exercise.checks]
    assert hints
    assert [h for h in hints if len(h) > MAX_HINT] == []
    assert [h for h in hints if printable(h) != h] == []


def test_fork_server_survives_the_catalogue(catalogue):
    assert catalogue.server_survived


def test_kit_and_other_submissions_are_unchanged(catalogue):
    assert catalogue.changed_files == []


def test_no_process_outlives_its_check(catalogue):
    assert catalogue.survivors == []


def test_nothing_is_written_outside_the_sandbox(catalogue):
    assert catalogue.markers == []


def test_no_shared_memory_or_message_queue_outlives_its_check(catalogue):
    assert catalogue.ipc == []


def test_no_case_reaches_a_socket_on_the_grading_machine(catalogue):
    assert catalogue.connections == []


def _machine_allows(command: list[str]) -> bool:
    user = [] if os.geteuid() == 0 else ["--user", "--map-root-user"]
    done = subprocess.run(["unshare", *user, *command, *([] if "sh" in command else ["true"])],
                          capture_output=True, timeout=60, check=False)
    return done.returncode == 0


def test_isolation_layers_are_what_the_machine_allows(sandbox):
    if shutil.which("unshare") is None:
        pytest.skip("util-linux unshare is not installed: cannot tell what the machine allows")
    layers = {layer.name: layer for layer in sandbox.isolation()}
    assert {*ALWAYS_ACTIVE, *NAMESPACE_LAYERS} <= set(layers)
    assert [name for name in ALWAYS_ACTIVE if not layers[name].active] == []
    for name, command in NAMESPACE_LAYERS.items():
        assert layers[name].active == _machine_allows(command), layers[name]


def test_gradescope_json_names_the_isolation_layers(catalogue):
    report = next(g.companion for g in catalogue.graded.values() if g.companion)
    data = report.to_gradescope()
    assert data["extra_data"]["isolation"] == {
        layer.name: {"active": layer.active, "detail": layer.detail} for layer in report.isolation}
    assert report.isolation == tuple(catalogue.layers.values())
    for layer in report.missing_layers:  # the instructor's report; the student's summary
        assert f"- {layer.name}: {layer.detail}" in data["extra_data"]["sandbox"]
        assert layer.detail not in data["output"]
    if not report.missing_layers:
        assert f"all {len(report.isolation)} isolation layers active" in data["extra_data"][
            "sandbox"]
    assert "Sandbox" not in data["output"]


def test_a_missing_layer_is_named_in_the_report_and_the_json():
    layers = (Layer("time limit", True, "the parent kills the child's process group"),
              Layer("network", False, "unshare(CLONE_NEWNET): Operation not permitted"),
              Layer("filesystem", False, "unshare(CLONE_NEWNS): Operation not permitted"))
    report = GradeReport("submission", (), layers)
    text = render_isolation(report)
    assert text.startswith("Sandbox: 2 isolation layer(s) unavailable on this machine:")
    assert "- network: unshare(CLONE_NEWNET): Operation not permitted" in text
    assert "- filesystem: unshare(CLONE_NEWNS): Operation not permitted" in text
    assert "time limit" not in text
    data = report.to_gradescope()
    assert data["extra_data"]["sandbox"] == text
    assert "network" not in data["output"]
    assert data["extra_data"]["isolation"]["network"] == {
        "active": False, "detail": "unshare(CLONE_NEWNET): Operation not permitted"}
    assert data["extra_data"]["isolation"]["time limit"]["active"] is True


def test_temporary_directories_are_covered_and_python_is_brought_back(tmp_path):
    venv, kit = tmp_path / "tmp" / "venv", tmp_path / "kit"
    stdlib = venv / "lib" / "python3"
    for folder in (stdlib, kit / "solutions"):
        folder.mkdir(parents=True)
    hidden, rebound = hideable([str(tmp_path / "tmp"), str(kit / "solutions"), "/", str(venv)],
                               keep=[str(venv), str(stdlib)])
    assert hidden == sorted([str(tmp_path / "tmp"), str(kit / "solutions")])  # never / or a keep
    assert rebound == [str(venv)]  # the stdlib comes back with the venv around it


def test_tree_digest_sees_a_new_changed_or_removed_file(tmp_path):
    (tmp_path / "a.py").write_text("x = 1\n")
    (tmp_path / "__pycache__").mkdir()
    before = tree_digest(tmp_path)
    (tmp_path / "__pycache__" / "a.pyc").write_bytes(b"cache")  # caches do not count
    assert changed(before, tree_digest(tmp_path)) == []
    (tmp_path / "a.py").write_text("x = 2\n")
    (tmp_path / "results.json").write_text("{}")
    assert changed(before, tree_digest(tmp_path)) == [str(tmp_path / "a.py"),
                                                       str(tmp_path / "results.json")]


def test_grader_working_directory_and_sys_path_are_covered(tmp_path, monkeypatch):
    """Grading from inside a class folder must not leave the class on view (cwd, sys.path)."""
    from graders._sandbox import Sandbox

    klass, extra = tmp_path / "class", tmp_path / "extra"
    for folder in (klass / "alice", klass / "bob", extra):
        folder.mkdir(parents=True)
    monkeypatch.chdir(klass)
    monkeypatch.syspath_prepend(str(extra))
    sandbox = Sandbox()
    try:
        hidden, _ = sandbox._hidden_from(klass / "alice")
    finally:
        sandbox.close()
    assert {str(klass), str(extra), str(ROOT), "/run"} <= set(hidden)
    assert os.path.realpath(sys.prefix) not in hidden  # Python itself stays in view


PEAK_PROBE = """
import os


def _peak_file():
    for line in open("/proc/self/cgroup"):
        number, controllers, path = line.rstrip("\\n").split(":", 2)
        if "memory" in controllers.split(","):  # cgroup v1
            return f"/sys/fs/cgroup/memory{path}/memory.max_usage_in_bytes"
        if number == "0":  # cgroup v2
            return f"/sys/fs/cgroup{path}/memory.peak"
    return ""


def mse(y_pred, y):
    if y_pred == "fill":
        block = bytearray(256 * 1024 * 1024)
        block[::4096] = b"x" * len(block[::4096])  # touch every page
    return [_peak_file(), int(open(_peak_file()).read())]
"""


def test_each_submission_gets_cgroups_of_its_own_and_peaks_reset(sandbox, tmp_path):
    """A memory high-water mark must not carry a signal from one probe (or one student) to the
    next: a cgroup per submission, its peak reset after each check."""
    layers = {layer.name: layer for layer in sandbox.isolation()}
    if "cgroup" not in layers["memory"].detail:
        pytest.skip(f"no memory cgroup here: {layers['memory'].detail}")
    seen = {}
    for student in ("alice", "bob"):
        (tmp_path / student).mkdir()
        (tmp_path / student / "mse.py").write_text(PEAK_PROBE)
        fill, after = (sandbox.run(tmp_path / student, "mse", "graders._child:call",
                                   ("mse", value, None), {}, 30.0).value for value in ("fill", 0))
        assert fill[1] > 200 * 1024**2  # the filling check's own peak
        assert after[1] < 100 * 1024**2  # the next check starts from a fresh peak
        seen[student] = after[0]
    assert seen["alice"] != seen["bob"]
