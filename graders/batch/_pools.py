"""Where a batch's work runs: a local process pool, or an existing Dask cluster.

Both hand out a ``concurrent.futures.Executor``; the batch loop
(``graders.batch._run``) only uses ``submit`` and the futures it returns. Each
worker process keeps one sandbox (one fork server) for all the students it grades.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.util
import os
import shutil
import signal
import tempfile
from concurrent.futures import Executor, ProcessPoolExecutor

from graders.batch import _worker


def default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _start_local_worker(hidden: tuple[str, ...], root: str) -> None:
    # Ctrl-C reaches the whole process group: the batch (not each worker) handles it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker.start(hidden, root)
    # A pool's workers skip atexit; this runs as they leave, and removes the scratch folders.
    multiprocessing.util.Finalize(None, _worker.stop, exitpriority=10)


class LocalPool:
    """A pool of ``workers`` processes (spawned: no state inherited), started on first use.

    A worker that dies breaks a ``ProcessPoolExecutor``; ``restart`` replaces it.
    Usable across batches whose submissions lie under ``hidden``.
    """

    local = True

    def __init__(self, workers: int | None = None, hidden: tuple[str, ...] = ()) -> None:
        self.workers = max(1, workers or default_workers())
        self.hidden = tuple(hidden)
        self._executor: ProcessPoolExecutor | None = None
        self._root: str | None = None  # where workers write students: removed on close

    def executor(self) -> Executor:
        if self._executor is None:
            self._root = tempfile.mkdtemp(prefix="torchgrade-batch-")
            self._executor = ProcessPoolExecutor(
                self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_local_worker,
                initargs=(self.hidden, self._root),
            )
        return self._executor

    def slots(self) -> int:
        return self.workers

    def restart(self) -> None:
        self.close()

    def close(self, *, cancel: bool = False) -> None:
        executor, self._executor = self._executor, None
        if executor is None:
            return
        if cancel:  # interrupted: end running work now
            terminate = getattr(executor, "terminate_workers", None)  # Python 3.14+
            if terminate is not None:
                terminate()
            else:
                for process in list(getattr(executor, "_processes", {}).values()):
                    process.kill()
        executor.shutdown(wait=not cancel, cancel_futures=cancel)
        shutil.rmtree(self._root, ignore_errors=True)  # what killed workers could not remove

    def __enter__(self) -> LocalPool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class DaskPool:
    """An existing Dask cluster, reached through its scheduler's address."""

    local = False

    def __init__(self, address: str, hidden: tuple[str, ...] = ()) -> None:
        from graders.batch._dask import connect

        self.client, self._plugin = connect(address, hidden)
        self._executor = self.client.get_executor(pure=False)

    def executor(self) -> Executor:
        return self._executor

    def slots(self) -> int:
        """One student at a time per worker thread (one per process, if run as documented)."""
        return max(1, sum(self.client.nthreads().values()))

    def restart(self) -> None:  # Dask replaces dead workers itself
        pass

    def close(self, *, cancel: bool = False) -> None:
        from graders.batch._dask import disconnect

        if self.client is not None:
            self._executor.shutdown(wait=not cancel)
            disconnect(self.client, self._plugin)
            self.client = None

    def __enter__(self) -> DaskPool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
