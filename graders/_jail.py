"""The jail: one per submission, forked from the fork server; each probe is one fork of it.

The jail applies every expensive isolation layer once (the submission copy, its
cgroups, the namespaces, the covers, the read-only remount) and never imports
student code. Each probe is then a plain fork that adds only what must be
fresh: an IPC namespace, its rlimits, the privilege drop, an empty working
directory, a fresh random state and a fresh import of the submission.
After each probe the jail ends everything it left behind (processes, files in
the working directory and /dev/shm, the memory high-water mark), so nothing
one probe did can be seen by the next.

Protocol on two pipes from the fork server: length-prefixed pickled
``ProbeRequest``s in; for each, one signed status out: the probe's ``waitpid``
status, or ``TIMED_OUT`` when the jail killed it at its deadline.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import shutil
import signal
from typing import NoReturn

from graders import _child
from graders import _isolation as isolation
from graders._wire import ANSWER, TIMED_OUT, ProbeRequest, read_message


def serve(first: ProbeRequest, cgroups: dict, requests: int, answers: int) -> NoReturn:
    """Jail entry point, right after the fork server's fork: isolate once, then serve."""
    try:
        layers = isolation.run_jail_pipeline(first, cgroups)
        while True:
            payload = read_message(requests)
            if not payload:
                break
            request = pickle.loads(payload)
            status = _run_probe(request, layers)
            _clean(request.box, private_shm=_active(layers, "filesystem"))
            isolation.reset_peak()
            os.write(answers, ANSWER.pack(status))
    finally:
        os._exit(0)


def _run_probe(request: ProbeRequest, layers: list) -> int:
    pid = os.fork()
    if pid == 0:
        _child.run(request, layers)  # never returns
    status = _wait(pid, request.timeout)
    isolation.sweep()  # daemons and grandchildren the probe left: the jail is their reaper
    return status


def _wait(pid: int, timeout: float) -> int:
    """The probe's wait status, or TIMED_OUT after killing its process group."""
    try:
        handle = os.pidfd_open(pid)
    except OSError:
        handle = None
    if handle is not None:
        ready, _, _ = select.select([handle], [], [], timeout)
        os.close(handle)
        if not ready:
            with contextlib.suppress(OSError):
                os.killpg(pid, signal.SIGKILL)
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return TIMED_OUT
    return os.waitpid(pid, 0)[1]


def _active(layers: list, name: str) -> bool:
    return any(layer.name == name and layer.active for layer in layers)


def _clean(box: str, private_shm: bool) -> None:
    """Empty the probe's working directory and the jail's private /dev/shm (never the host's)."""
    for folder in (os.path.join(box, "work"), *(("/dev/shm",) if private_shm else ())):
        with contextlib.suppress(OSError):
            for entry in os.scandir(folder):
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path, ignore_errors=True)
                else:
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)
