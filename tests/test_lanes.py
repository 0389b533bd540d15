"""Grading on several cores (graders._lanes): the same report as on one, every exercise once."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from graders import grade
from graders._lanes import COSTS, DEFAULT_COST, grade_in_lanes, split
from graders._layout import EXERCISES, ROOT, SOLUTIONS
from graders._sandbox import Sandbox

MISTAKES = Path(__file__).parent / "mistakes"


def _children() -> set[int]:
    found = set()
    for task in Path("/proc/self/task").iterdir():
        found |= {int(pid) for pid in (task / "children").read_text().split()}
    return found


@pytest.mark.parametrize("lanes", [2, 3, 4])
def test_split_gives_every_exercise_once_in_balanced_groups(lanes):
    groups = split(EXERCISES, lanes)
    assert len(groups) == lanes
    assert sorted(name for group in groups for name in group) == sorted(EXERCISES)
    for group in groups:  # each group keeps the order the exercises were asked in
        assert list(group) == [name for name in EXERCISES if name in group]
    costs = [sum(COSTS.get(name, DEFAULT_COST) for name in group) for group in groups]
    assert max(costs) - min(costs) <= max(COSTS.values())


def test_split_makes_no_empty_lane():
    assert split(("mse",), 4) == [("mse",)]
    assert sorted(split(("mse", "net"), 4)) == [("mse",), ("net",)]


class _FakeSandbox:
    lanes = 3

    def become_lane(self, number: int) -> None:
        self.number = number


def test_each_lane_reports_back_and_ends():
    """Lanes are forks: each returns its group's result (or its error, as text), shows its
    progress here as it goes, and leaves no process behind."""
    before, seen = _children(), []
    groups = split(EXERCISES, 3)

    def grade_group(group, show):
        for name in group:
            show(name)
        if group == groups[-1]:
            raise ValueError("this lane broke")
        return os.getpid(), group

    results = grade_in_lanes(_FakeSandbox(), EXERCISES, grade_group, seen.append)
    assert sorted(seen) == sorted(EXERCISES)
    assert results[0] == (os.getpid(), groups[0])
    errors = [r for r in results if isinstance(r, str)]
    assert errors == ["ValueError: this lane broke"]
    others = [r for r in results[1:] if not isinstance(r, str)]
    assert others
    assert all(pid != os.getpid() for pid, _ in others)
    assert _children() == before


class _LaneRecorder:
    """A progress display that tells lanes apart, as ``graders._terminal``'s does."""

    def __init__(self) -> None:
        self.told: list[tuple[int, str | None]] = []

    def __call__(self, exercise: str) -> None:
        self.told.append((0, exercise))

    def lane(self, number: int):
        return lambda exercise: self.told.append((number, exercise))


def test_each_lane_tells_its_own_exercises_then_that_it_is_done():
    recorder, groups = _LaneRecorder(), split(EXERCISES, 3)
    grade_in_lanes(_FakeSandbox(), EXERCISES, lambda group, show: [show(n) for n in group],
                   recorder)
    by_lane = {}
    for lane, exercise in recorder.told:
        by_lane.setdefault(lane, []).append(exercise)
    assert sorted(by_lane.values()) == sorted([*group, None] for group in groups)
    assert by_lane[0] == [*groups[0], None]  # this process grades the first group


def test_two_lanes_grade_exactly_as_one(sandbox, tmp_path):
    """The same checks, points, hints and layers, in the order asked, whichever lane graded
    each exercise (each exercise's probes keep their seeds)."""
    for exercise, mistake in (("mse", "forgets_square"), ("autograd", "forgets_to_clear"),
                              ("device", "first_batch_repeated")):
        shutil.copyfile(MISTAKES / exercise / f"{mistake}.py", tmp_path / f"{exercise}.py")
    shutil.copyfile(SOLUTIONS / "tensors.py", tmp_path / "tensors.py")
    names = ["tensors", "device", "mse", "autograd"]
    seen = []
    with Sandbox(lanes=2) as two:
        in_lanes = grade(tmp_path, names, sandbox=two, progress=seen.append)
    alone = grade(tmp_path, names, sandbox=sandbox)
    assert [result.name for result in in_lanes.exercises] == names
    assert in_lanes.exercises == alone.exercises
    # The same layers; only the cgroups' folder names differ (each names its server).
    assert [(x.name, x.active) for x in in_lanes.isolation] == [
        (x.name, x.active) for x in alone.isolation]
    assert sorted(seen) == sorted(names)
    assert 0 < in_lanes.score < in_lanes.max_score


def test_a_lane_that_cannot_be_forked_is_graded_here(monkeypatch):
    """No process to spare (a pids limit): the group is graded in this process instead."""
    def no_fork():
        raise BlockingIOError("Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    results = grade_in_lanes(_FakeSandbox(), EXERCISES, lambda group, show: group, None)
    assert sorted(results) == sorted(split(EXERCISES, 3))


PARALLEL_BEFORE_FORK = """
import torch
from graders._lanes import grade_in_lanes

class Sandbox:
    lanes = 2

    def become_lane(self, number):
        pass

torch.set_num_threads(2)
torch.randn(2_000_000, 4).max(0)  # this process's OpenMP thread team now exists
print(grade_in_lanes(Sandbox(), ["mse", "net"],
                     lambda group, show: float(torch.randn(2_000_000, 4).max(0).values.sum()),
                     None))
"""


def test_a_lane_forked_after_parallel_torch_work_does_not_hang():
    """A fork copies OpenMP's thread team but not its threads: a lane's first parallel op
    waited for them forever (`validate` on torch 2.15 and Python 3.13)."""
    done = subprocess.run([sys.executable, "-c", PARALLEL_BEFORE_FORK], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.strip().strip("[]").split(",")) == 2
