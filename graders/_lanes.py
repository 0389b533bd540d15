"""Grading one submission on several cores: one grading process per lane.

A whole grade is about 270 probes, one after another, and each lane of them
keeps one core busy (this process's checks, then the fork server, the jail and
the probe, in turn). With ``Sandbox(lanes=N)`` the fork server forks N warm
servers; ``grade_in_lanes`` forks this grading process once per further lane,
after it has imported torch, and each lane grades its share of the exercises
through its own server. The exercises are independent: each one's checks, seeds
and verdicts are the same whichever lane grades it.

The lanes are forks of the grader, not sandboxes: student code never runs in
them, only in their probes. A lane sends this process one length-prefixed pickle
per message on its own pipe: ``("progress", exercise)`` as it reaches each
exercise, then ``("report", GradeReport)`` or ``("error", text)``. A lane dies
with this process.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import os
import pickle
import signal
import sys
import threading
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from graders._wire import read_message, write_message

MAX_LANES = 4
# Rough cost of grading each exercise, in seconds on the 2-core machine with a warm fork
# server (benchmarks/grade_time.py, 2026-11-30); any exercise not named costs
# DEFAULT_COST. Only the split uses them.
COSTS = {"digits": 2.3, "training": 1.3, "net": 1.2, "dataset": 1.0}
DEFAULT_COST = 0.7
PR_SET_PDEATHSIG = 1
CPU_QUOTA = "/sys/fs/cgroup/cpu.max"  # cgroup v2: "max 100000", or "quota period"

GradeGroup = Callable[[tuple[str, ...], Callable[[str], None] | None], object]


def default_lanes() -> int:
    """As many lanes as this process may use cores, at most MAX_LANES."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    # A container's CPU quota (Gradescope's, a CI runner's) can be less than the cores it
    # sees: more lanes than that would only take turns.
    with contextlib.suppress(OSError, ValueError):
        quota, period = Path(CPU_QUOTA).read_text().split()
        if quota != "max":
            cores = min(cores, max(1, int(quota) // int(period)))
    return max(1, min(cores, MAX_LANES))


def split(names: Sequence[str], lanes: int) -> list[tuple[str, ...]]:
    """The exercises in at most ``lanes`` groups of about equal cost (the costliest first,
    each to the cheapest group so far), each group in the order it was asked for."""
    groups: list[list[str]] = [[] for _ in range(max(1, min(lanes, len(names))))]
    totals = [0.0] * len(groups)
    for name in sorted(names, key=lambda n: -COSTS.get(n, DEFAULT_COST)):
        cheapest = totals.index(min(totals))
        groups[cheapest].append(name)
        totals[cheapest] += COSTS.get(name, DEFAULT_COST)
    return [tuple(n for n in names if n in group) for group in groups if group]


def shared_warm_ups(names: Sequence[str], lanes: int) -> tuple[str, ...]:
    """What every lane's exercises use (``graders._layout.warm_ups``): the fork server warms
    it once, before it forks the lanes. Each lane's server warms the rest itself as its
    exercises first need it, while the other lanes grade (``graders._zygote``)."""
    from graders._layout import warm_ups

    uses = [set(warm_ups(group)) for group in split(names, lanes)]
    return tuple(name for name in warm_ups(names) if all(name in use for use in uses))


@dataclass
class _Lane:
    pid: int
    reader: int
    messages: list = field(default_factory=list)
    listener: threading.Thread | None = None


def grade_in_lanes(sandbox, names: Sequence[str], grade_group: GradeGroup,
                   progress: Callable[[str], None] | None) -> list:
    """Each group's result: what ``grade_group(exercises, progress)`` returned for it, or the
    text of the exception it raised in its lane. This process grades the first group (and
    any whose lane could not be forked); the others grade in their lanes at the same time."""
    groups = split(names, sandbox.lanes)
    import torch  # once, before the forks: no lane imports it again

    # Each lane (this process included) has one core: OpenMP threads would only take turns.
    threads = torch.get_num_threads()
    torch.set_num_threads(1)

    lanes: list[_Lane] = []
    mine = [groups[0]]  # what this process grades itself
    try:
        for number, group in enumerate(groups[1:], start=1):
            try:
                lanes.append(_start(sandbox, number, group, grade_group, progress is not None))
            except OSError:  # no process to spare (a pids limit): grade it here, later
                mine.append(group)
        for number, lane in enumerate(lanes, start=1):
            lane.listener = threading.Thread(target=_listen,
                                             args=(lane, *_for_lane(progress, number)), daemon=True)
            lane.listener.start()
        show, done = _for_lane(progress, 0)
        results = [grade_group(group, show) for group in mine]
        if done is not None:
            done()  # the display now shows only the lanes still grading
        for lane in lanes:
            lane.listener.join()
            results.append(_result(lane))
        return results
    finally:
        for lane in lanes:
            _end(lane)
        torch.set_num_threads(threads)


def _start(sandbox, number: int, group: tuple[str, ...], grade_group: GradeGroup,
           shows_progress: bool) -> _Lane:
    reader, writer = os.pipe()
    parent = os.getpid()
    with warnings.catch_warnings():
        # Python 3.12 warns about forking a process with threads (a progress display's):
        # the lane never touches that display, its streams or its locks (see _serve).
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:
        os.close(reader)
        _serve(sandbox, number, group, grade_group, writer, shows_progress, parent)
    os.close(writer)
    return _Lane(pid, reader)


def _serve(sandbox, number: int, group: tuple[str, ...], grade_group: GradeGroup,
           writer: int, shows_progress: bool, parent: int) -> None:
    """A lane's whole life: grade ``group`` through lane ``number``, send the result, exit."""
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's: it ends us
        _die_with(parent)
        _one_thread()
        # The parent's terminal is its own (its progress display): this process writes nothing.
        sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115  os._exit closes it
        sandbox.become_lane(number)
        show = (lambda name: _send(writer, ("progress", name))) if shows_progress else None
        _send(writer, ("report", grade_group(group, show)))
    except BaseException as error:  # everything reaches the parent as text
        with contextlib.suppress(BaseException):
            _send(writer, ("error", f"{type(error).__name__}: {error}"))
    finally:
        os._exit(0)  # never the parent's atexit handlers, temporary folders or sandbox


def _one_thread() -> None:
    """torch on this lane's one core, before any op. The fork copied the parent's OpenMP
    thread team, but not its threads: a parallel op waited for them forever (torch 2.15,
    Python 3.13, `validate`'s second grade). One thread never uses the team (torch's
    DataLoader workers do the same)."""
    import torch

    torch.set_num_threads(1)


def _die_with(parent: int) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0 or os.getppid() != parent:
        os._exit(1)  # no such guard here, or the parent is already gone


def _send(writer: int, message: tuple) -> None:
    write_message(writer, pickle.dumps(message))


def _for_lane(progress, number: int) -> tuple[Callable[[str], None] | None,
                                               Callable[[], None] | None]:
    """How lane ``number`` tells its progress: each exercise as it starts, and that it is
    done. A display that tells lanes apart (``graders._terminal``) offers ``lane(n)``; any
    other ``progress`` is told only each exercise as it starts."""
    lane = getattr(progress, "lane", None)
    if not callable(lane):
        return progress, None
    tell = lane(number)
    return tell, functools.partial(tell, None)


def _listen(lane: _Lane, progress: Callable[[str], None] | None,
            done: Callable[[], None] | None = None) -> None:
    """Read a lane's messages as they come (its progress shows as it grades) until it ends."""
    while payload := read_message(lane.reader):
        kind, value = pickle.loads(payload)  # from the grader's own fork, never from a probe
        if kind == "progress" and progress is not None:
            progress(value)
        else:
            lane.messages.append((kind, value))
    if done is not None:
        done()


def _result(lane: _Lane):
    for kind, value in lane.messages:
        if kind in ("report", "error"):
            return value if kind == "report" else str(value)
    return "a grading lane ended without a result"


def _end(lane: _Lane) -> None:
    with contextlib.suppress(OSError):
        os.kill(lane.pid, signal.SIGKILL)  # only still running when this process failed
    with contextlib.suppress(ChildProcessError):
        os.waitpid(lane.pid, 0)
    with contextlib.suppress(OSError):
        os.close(lane.reader)
