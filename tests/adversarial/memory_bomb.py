"""Maps and fills memory without end (256 MiB at a time, populated at once) inside mse.

The memory cgroup's OOM killer ends it (SIGKILL) or, where only the
address-space rlimit applies, mapping fails with MemoryError or OSError.

checks: numpy_returns_float
score: 0
hint: killed by signal SIGKILL | raised MemoryError | raised OSError: [Errno 12]
timeout: 20
requires: memory
"""

import mmap

CHUNK = 256 * 1024 * 1024


def mse(y_pred, y):
    hoard = []
    while True:
        flags = mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS | mmap.MAP_POPULATE
        hoard.append(mmap.mmap(-1, CHUNK, flags=flags))
