"""The fork server: imports torch once, holds no student code, forks a child per probe.

Protocol on its stdin/stdout pipes: the parent sends a length-prefixed pickled
``ProbeRequest`` (parent to server only: the server trusts the parent); the
server answers with the child's pid, then with its ``waitpid`` status. The
parent enforces the time limit by killing the child's process group.
"""

from __future__ import annotations

import itertools
import os
import pickle
import struct
import sys

HEADER = struct.Struct("<Q")
ANSWER = struct.Struct("<q")


def _read_exact(fd: int, size: int) -> bytes:
    chunks = []
    while size:
        chunk = os.read(fd, size)
        if not chunk:
            return b""
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def serve(requests: int, answers: int) -> None:
    from graders import _child
    from graders import _isolation as isolation

    _child.preload()
    isolation.set_subreaper()  # daemons a child leaves behind become ours to end
    cgroups = isolation.make_cgroups(f"torchgrade-{os.getpid()}")
    try:
        for count in itertools.count():
            header = _read_exact(requests, HEADER.size)
            if not header:
                return
            request = pickle.loads(_read_exact(requests, HEADER.unpack(header)[0]))
            own = isolation.make_cgroups(f"probe-{count}", cgroups)  # fresh peaks and counts
            pid = os.fork()
            if pid == 0:
                _child.run(request, own)
            os.write(answers, ANSWER.pack(pid))
            _, status = os.waitpid(pid, 0)
            isolation.sweep()
            isolation.remove_cgroups(own)
            os.write(answers, ANSWER.pack(status))
    finally:
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
    serve(requests, answers)


if __name__ == "__main__":
    main()
