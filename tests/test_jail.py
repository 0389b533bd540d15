"""The jail: one per submission, a plain fork per probe, and nothing carried between probes."""

from __future__ import annotations

import os
import shutil
import signal
import threading
from pathlib import Path

import pytest

from graders._gates import GATED
from graders._report import FAILED
from graders._wire import Crashed, Returned

CALL = "graders._child:call"

LEFTOVERS = '''
import os, subprocess, sys

def mse(y_pred, y):
    if y_pred == "leave":
        open("left-behind.txt", "w").write("x")
        if os.path.isdir("/dev/shm"):
            open("/dev/shm/left-behind", "w").write("x")
        if os.fork() == 0:  # a daemon that outlives the probe
            os.setsid()
            import time
            time.sleep(60)
            os._exit(0)
        return os.getpid()
    seen = {
        "work": sorted(os.listdir(".")),
        "shm": sorted(os.listdir("/dev/shm")) if os.path.isdir("/dev/shm") else [],
        "processes": sorted(int(p) for p in os.listdir("/proc") if p.isdigit()),
        "me": os.getpid(),
        "parent": os.getppid(),
    }
    return seen
'''

SLEEPER = "import time\n\ndef mse(y_pred, y):\n    time.sleep(y_pred)\n    return 0.0\n"


def _submission(tmp_path: Path, name: str, source: str) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "mse.py").write_text(source)
    return folder


def test_nothing_one_probe_did_is_seen_by_the_next(sandbox, tmp_path):
    student = _submission(tmp_path, "student", LEFTOVERS)
    assert isinstance(sandbox.run(student, "mse", CALL, ("mse", "leave", None), {}, 30.0),
                      Returned)
    seen = sandbox.run(student, "mse", CALL, ("mse", "look", None), {}, 30.0).value
    assert seen["work"] == []
    assert seen["shm"] == []
    layers = {layer.name: layer.active for layer in sandbox.isolation()}
    if layers["process view"]:  # only the jail (pid 1) and this probe are alive
        assert seen["processes"] == sorted({1, seen["me"]})


def _jail_of(sandbox) -> int:
    server = sandbox._process.pid
    children = Path(f"/proc/{server}/task/{server}/children").read_text().split()
    return int(children[0])


def test_a_jail_that_dies_is_replaced_and_the_probe_fails_clearly(sandbox, tmp_path):
    student = _submission(tmp_path, "sleeper", SLEEPER)
    assert sandbox.run(student, "mse", CALL, ("mse", 0, None), {}, 30.0) == Returned(0.0)
    jail = _jail_of(sandbox)
    killer = threading.Timer(1.0, os.killpg, (jail, signal.SIGKILL))
    killer.start()
    outcome = sandbox.run(student, "mse", CALL, ("mse", 20, None), {}, 30.0)
    killer.join()
    assert isinstance(outcome, Crashed)
    assert "grading jail" in outcome.reason
    assert sandbox.run(student, "mse", CALL, ("mse", 0, None), {}, 30.0) == Returned(0.0)
    assert _jail_of(sandbox) != jail


def test_one_jail_per_submission(sandbox, tmp_path):
    alice = _submission(tmp_path, "alice", SLEEPER)
    bob = _submission(tmp_path, "bob", SLEEPER)
    sandbox.run(alice, "mse", CALL, ("mse", 0, None), {}, 30.0)
    first = _jail_of(sandbox)
    sandbox.run(alice, "mse", CALL, ("mse", 0, None), {}, 30.0)
    assert _jail_of(sandbox) == first
    sandbox.run(bob, "mse", CALL, ("mse", 0, None), {}, 30.0)
    assert _jail_of(sandbox) != first


def test_an_edited_submission_gets_a_new_jail(sandbox, tmp_path):
    """The jail copies the submission once: grading the same folder after an edit, in the
    same sandbox, grades the new file, not the jail's copy of the old one."""
    student = _submission(tmp_path, "editor", "def mse(y_pred, y):\n    return 1.0\n")
    assert sandbox.run(student, "mse", CALL, ("mse", 0, None), {}, 30.0) == Returned(1.0)
    (student / "mse.py").write_text("def mse(y_pred, y):\n    return 2.0  # edited\n")
    assert sandbox.run(student, "mse", CALL, ("mse", 0, None), {}, 30.0) == Returned(2.0)


def test_a_hang_costs_once(grade_files):
    """Each call that hangs waits out its limit once; later checks making it are not graded."""
    result = grade_files({"mse": "def mse(y_pred, y):\n    while True:\n        pass\n"},
                         ["mse"], timeout=2).exercise("mse")
    hints = [check.hint for check in result.checks if check.status == FAILED]
    gated = [c for c in result.checks if c.status == GATED and c.max_points > 0]  # core hung
    assert len(hints) + len(gated) == len([c for c in result.checks if c.max_points > 0])
    waited = [hint.split("timed out after 2 s in ", 1)[1].split(":")[0] for hint in hints
              if "timed out after 2 s in " in hint]
    assert "`mse`" in waited
    assert len(waited) == len(set(waited))  # never the same call twice
    later = [hint for hint in hints if "not graded: `mse` timed out earlier (2 s)" in hint]
    assert len(later) >= 5


@pytest.mark.parametrize(("warm", "meta", "dynamo"), [
    # Nothing warmed as the server starts: before mse's first probe the server warms what
    # mse uses (the meta device, no torch._dynamo: mse has no optimizer) ...
    ((), False, [False, False]),
    # ... or, for a probe that says it needs the meta device, all of torch._dynamo.
    ((), True, [True, True]),
    (("dynamo",), False, [True, True]),  # a run with optimizers: warmed as the server starts
    (("meta",), False, [False, False]),  # the meta device alone: warm, and no torch._dynamo
])
def test_the_meta_device_is_warmed_only_when_a_run_needs_it(tmp_path, warm, meta, dynamo):
    """Warmed as the server starts when the run will need it, else before the first probe
    of an exercise that uses it; a run that needs only the meta device never imports
    torch._dynamo (seconds)."""
    from graders._sandbox import Sandbox

    student = _submission(tmp_path, "student",
                          "import sys\nimport torch\n\ndef mse(y_pred, y):\n"
                          "    before = 'torch._dynamo' in sys.modules\n"
                          "    (torch.zeros(2, device='meta') - 1).relu().mean()\n"
                          "    return [before, 'torch._dynamo' in sys.modules]\n")
    with Sandbox(warm=warm) as own:
        outcome = own.run(student, "mse", CALL, ("mse", None, None), {}, 30.0, needs_meta=meta)
    assert outcome == Returned(dynamo)


class _OtherKit:
    """A meta-path finder like an editable install's, mapping ``solutions`` to another
    checkout of the kit (outside every other cover)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def find_spec(self, name, path=None, target=None):
        import importlib.machinery

        if name != "solutions":
            return None
        spec = importlib.machinery.ModuleSpec(name, None, is_package=True)
        spec.submodule_search_locations = [str(self.root / "solutions")]
        return spec


def test_another_copy_of_the_answer_key_is_covered(tmp_path):
    """An editable install may point at another checkout than the kit grading: children
    must not read its solutions either."""
    import sys

    from graders._sandbox import Sandbox

    other = Path(f"/var/lib/torchgrade-other-kit-{os.getpid()}")
    try:
        (other / "solutions").mkdir(parents=True)
    except OSError:
        pytest.skip("needs a folder outside /tmp and /home (root's /var/lib)")
    finder = _OtherKit(other)
    try:
        (other / "pyproject.toml").write_text("")
        (other / "solutions" / "mse.py").write_text("ANSWER = 42\n")
        sys.meta_path.append(finder)
        student = _submission(tmp_path, "student",
                              f"def mse(y_pred, y):\n    return open({str(other)!r}"
                              " + '/solutions/mse.py').read()\n")
        with Sandbox() as own:
            outcome = own.run(student, "mse", CALL, ("mse", None, None), {}, 30.0)
        assert not (isinstance(outcome, Returned) and "ANSWER" in str(outcome.value))
    finally:
        if finder in sys.meta_path:
            sys.meta_path.remove(finder)
        shutil.rmtree(other, ignore_errors=True)


@pytest.mark.parametrize(("exercises", "expected"), [
    (("mse",), ("meta",)),  # a meta check, no optimizer: no torch._dynamo
    (("mse", "training"), ("dynamo",)),  # an optimizer's step imports it anyway
    (("digits",), ("dynamo", "sklearn")),
    (("backward",), ()),
])
def test_the_fork_server_prepares_only_what_the_run_uses(exercises, expected):
    from graders._layout import warm_ups

    assert warm_ups(exercises) == expected
