"""The fork server: imports torch once, holds no student code, forks one jail per submission.

Protocol on its stdin/stdout pipes: the parent sends length-prefixed pickled
``ProbeRequest``s (parent to server only: the server trusts the parent); for
each the server answers the jail's pid, then the probe's status (see
``graders._jail``: a ``waitpid`` status, ``TIMED_OUT`` or ``JAIL_DIED``).
A request for another submission (another box) ends the current jail and
starts a new one; so does a jail that died. The parent's own deadline is a
backstop: it kills the jail's process group if no status comes in time.

With ``--warm meta,sklearn`` the server warms the meta device (``torch._dynamo``)
and imports scikit-learn as soon as torch is in, while the parent is still
starting: a run that needs them does not wait for them in its probes. Whatever
an exercise uses and was not warmed (``graders._layout.warm_ups``), the server
warms before that exercise's first jail, once, off the probes' clocks.

With ``--lanes R:W,...`` (pipes the parent passed) the warm server forks one
more server per pair, each serving that pair exactly as above, so that a
grade can use several cores (``graders._lanes``); it then only waits for them.
``--warm`` then names what every lane uses; each lane warms the rest itself.
Lane servers are its children, not each other's: a lane sweeping its own
leftovers can never end another lane.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import os
import pickle
import signal
import sys
from dataclasses import dataclass

from graders._wire import ANSWER, JAIL_DIED, ProbeRequest, read_exact, read_message, write_message


@dataclass(frozen=True)
class _Jail:
    pid: int
    key: tuple
    to_jail: int
    from_jail: int
    cgroups: dict


def _start_jail(request: ProbeRequest, cgroups: dict, number: int) -> _Jail:
    from graders import _isolation as isolation
    from graders import _jail

    own = isolation.make_cgroups(f"jail-{number}", cgroups)  # a memory and pids group each
    down, up = os.pipe(), os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(down[1])
        os.close(up[0])
        _jail.serve(request, own, down[0], up[1])
    os.close(down[0])
    os.close(up[1])
    return _Jail(pid, request.jail, down[1], up[0], own)


def _end_jail(jail: _Jail | None) -> None:
    from graders import _isolation as isolation

    if jail is None:
        return
    for fd in (jail.to_jail, jail.from_jail):
        os.close(fd)
    with contextlib.suppress(OSError):
        os.killpg(jail.pid, signal.SIGKILL)  # the jail and its PID namespace's init
    with contextlib.suppress(ChildProcessError):
        os.waitpid(jail.pid, 0)
    isolation.sweep()
    isolation.remove_cgroups(jail.cgroups)


def _ask(jail: _Jail, payload: bytes) -> int:
    """The jail's status for one probe; JAIL_DIED if it ended (killed, or it crashed)."""
    try:
        write_message(jail.to_jail, payload)
        answer = read_exact(jail.from_jail, ANSWER.size)
    except OSError:
        answer = b""
    return ANSWER.unpack(answer)[0] if answer else JAIL_DIED


def warm(warm_ups: tuple[str, ...] | list[str], done: set[str]) -> bool:
    """Warm what is asked and not ``done`` yet (adding it to ``done``); whether anything
    was. The meta device asked for alone (``graders._layout.warm_ups``: no optimizer) gets
    its own first op; asked for by a later probe, the whole of torch._dynamo, which covers
    it too."""
    from graders import _child

    missing = [name for name in warm_ups if name not in done
               and not (name == "meta" and "dynamo" in done)]
    for name in missing:
        _child.WARM_UPS[name]()
    done.update(missing)
    return bool(missing)


def _needed(request: ProbeRequest, done: set[str]) -> list[str]:
    """What this probe's exercise uses (an optimizer, scikit-learn's data, the meta device),
    warmed here before its jail starts: before the probe's clock, and once, not in every
    child."""
    needed = list(_uses(request.exercise)) if request.exercise else []
    if request.needs_meta and not {"meta", "dynamo"} & done:
        needed.append("dynamo")
    return needed


@functools.cache
def _uses(exercise: str) -> tuple[str, ...]:
    from graders._layout import warm_ups

    return warm_ups((exercise,))


def serve(requests: int, answers: int, done: set[str]) -> None:
    from graders import _isolation as isolation

    isolation.set_subreaper()  # daemons a jail leaves behind become ours to end
    cgroups = isolation.make_cgroups(f"torchgrade-{os.getpid()}")
    jail = None
    try:
        for number in itertools.count():
            payload = read_message(requests)
            if not payload:
                return
            request = pickle.loads(payload)
            if warm(_needed(request, done), done):  # jails forked from now on start warm
                jail = _end_jail(jail)
            if jail is None or jail.key != request.jail:
                _end_jail(jail)
                jail = _start_jail(request, cgroups, number)
            os.write(answers, ANSWER.pack(jail.pid))
            status = _ask(jail, payload)
            if status == JAIL_DIED:
                jail = _end_jail(jail)
            os.write(answers, ANSWER.pack(status))
    finally:
        _end_jail(jail)
        isolation.sweep()
        isolation.remove_cgroups(cgroups)


def _option(name: str) -> str:
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else ""


def _more_lanes(value: str) -> list[tuple[int, int]]:
    """``R:W,...``: the request and answer pipes of each further lane."""
    return [tuple(map(int, pair.split(":"))) for pair in value.split(",") if pair]


def serve_lanes(lanes: list[tuple[int, int]], done: set[str]) -> None:
    """One warm server per lane, forked from this one; returns once they have all ended."""
    servers = []
    for requests, answers in lanes:
        pid = os.fork()
        if pid == 0:
            try:
                for fd in {fd for pair in lanes for fd in pair} - {requests, answers}:
                    os.close(fd)
                serve(requests, answers, done)
            finally:  # Ctrl-C passed on included: never back into this loop, nor torch's teardown
                os._exit(0)
        servers.append(pid)
    for fd in {fd for pair in lanes for fd in pair}:
        os.close(fd)  # a lane's end of input is its parent's closing alone
    for pid in servers:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)


def main() -> None:
    # Keep the protocol pipes off fds 0 and 1 so that a stray print in the
    # server (a torch warning, say) can never corrupt an answer.
    requests, answers = os.dup(0), os.dup(1)
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)
    sys.stdout = sys.stderr
    lanes = [(requests, answers), *_more_lanes(_option("--lanes"))]
    from graders import _child

    _child.preload()
    done: set[str] = set()
    warm(list(filter(None, _option("--warm").split(","))), done)
    if len(lanes) == 1:
        serve(requests, answers, done)
    else:
        serve_lanes(lanes, done)
    # Skip the interpreter's shutdown: tearing down torch's modules took 0.5 s of every
    # grade, spent while the parent waits for this server to be gone.
    os._exit(0)


if __name__ == "__main__":
    main()
