"""Tries to fill the disk: 16 MiB chunks into every writable-looking place it can name.

The working directory and /dev/shm are small private tmpfs mounts (64 MiB),
everything else is read-only, and each file is capped by RLIMIT_FSIZE. (It
stops by itself after 256 MiB per place, so that a machine without the
filesystem layer is not actually filled.)

checks: numpy_returns_float
score: 0
hint: sandbox held
requires: filesystem
"""

import os
import site
import tempfile

import graders

CHUNK = b"\0" * (16 * 1024 * 1024)
ALLOWED = 64 * 1024 * 1024  # a private tmpfs may take this much
PER_PLACE = 256 * 1024 * 1024


def _places() -> dict[str, bool]:
    """Directory to whether writing there is allowed (private tmpfs)."""
    box = os.path.dirname(os.readlink("/proc/self/fd/3"))
    kit = os.path.dirname(os.path.dirname(graders.__file__))
    places = {os.getcwd(): True, tempfile.gettempdir(): True, "/dev/shm": True}
    for folder in ("/tmp", "/var/tmp", box, os.path.dirname(os.path.abspath(__file__)), kit,
                   os.path.join(kit, "graders"), *site.getsitepackages(), os.path.expanduser("~")):
        places.setdefault(os.path.realpath(folder), False)
    return places


def _fill(folder: str) -> int:
    written = 0
    for number in range(PER_PLACE // len(CHUNK)):
        try:
            with open(os.path.join(folder, f"torchgrade-pwned-fill-{number}"), "wb") as handle:
                handle.write(CHUNK)
            written += len(CHUNK)
        except OSError:
            break
    return written


def mse(y_pred, y):
    escaped = []
    for folder, allowed in _places().items():
        written = _fill(folder)
        if written > (ALLOWED if allowed else 0):
            escaped.append(f"{folder}: {written >> 20} MiB")
    if escaped:
        raise RuntimeError(f"ESCAPED: wrote {escaped}")
    raise RuntimeError("sandbox held: no place took more than its tmpfs allows")
