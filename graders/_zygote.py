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
starting: a run that needs them does not wait for them in its probes.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pickle
import signal
import sys
from dataclasses import dataclass

from graders._wire import ANSWER, HEADER, JAIL_DIED, ProbeRequest, read_exact, read_message


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
        os.write(jail.to_jail, HEADER.pack(len(payload)) + payload)
        answer = read_exact(jail.from_jail, ANSWER.size)
    except OSError:
        answer = b""
    return ANSWER.unpack(answer)[0] if answer else JAIL_DIED


def serve(requests: int, answers: int, warm_ups: tuple[str, ...] = ()) -> None:
    from graders import _child
    from graders import _isolation as isolation

    _child.preload()
    for name in warm_ups:
        _child.WARM_UPS[name]()
    # A run warmed for the meta device alone has no optimizer (graders._layout.warm_ups);
    # asked later, the server warms the whole of torch._dynamo, which covers both.
    warm = bool({"meta", "dynamo"} & set(warm_ups))
    isolation.set_subreaper()  # daemons a jail leaves behind become ours to end
    cgroups = isolation.make_cgroups(f"torchgrade-{os.getpid()}")
    jail = None
    try:
        for number in itertools.count():
            payload = read_message(requests)
            if not payload:
                return
            request = pickle.loads(payload)
            if request.needs_meta and not warm:  # jails forked from now on start warm
                _child.warm_dynamo()
                warm, jail = True, _end_jail(jail)
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


def main() -> None:
    # Keep the protocol pipes off fds 0 and 1 so that a stray print in the
    # server (a torch warning, say) can never corrupt an answer.
    requests, answers = os.dup(0), os.dup(1)
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)
    sys.stdout = sys.stderr
    warm_ups = sys.argv[sys.argv.index("--warm") + 1].split(",") if "--warm" in sys.argv else []
    serve(requests, answers, tuple(warm_ups))
    # Skip the interpreter's shutdown: tearing down torch's modules took 0.5 s of every
    # grade, spent while the parent waits for this server to be gone.
    os._exit(0)


if __name__ == "__main__":
    main()
