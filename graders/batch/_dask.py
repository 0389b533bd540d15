"""The Dask side of a batch: connect to a scheduler, keep one sandbox per worker process.

Imported only with ``--scheduler``: Dask is the ``cluster`` extra
(``pip install "torchgrade[cluster]"``), needed on the machine that starts the batch
and on every worker, next to the same version of the kit.
"""

from __future__ import annotations

from distributed import Client
from distributed.diagnostics.plugin import WorkerPlugin

from graders.batch import _worker

PLUGIN = "torchgrade-sandbox"


class SandboxPlugin(WorkerPlugin):
    """Starts a worker's sandbox as it joins (torch imports while work is scheduled)
    and closes it when the batch ends; grading starts one itself if this did not."""

    idempotent = False

    def __init__(self, hidden: tuple[str, ...]) -> None:
        self.hidden = tuple(hidden)

    def setup(self, worker) -> None:
        _worker.start(self.hidden, wait=False)  # runs on the worker's event loop: never block

    def teardown(self, worker) -> None:
        _worker.stop(wait=False)


def connect(address: str, hidden: tuple[str, ...]) -> tuple[Client, str]:
    client = Client(address, timeout="30s")
    client.register_plugin(SandboxPlugin(hidden), name=PLUGIN)
    return client, PLUGIN


def disconnect(client: Client, plugin: str) -> None:
    try:
        client.unregister_worker_plugin(plugin)
    finally:
        client.close()
