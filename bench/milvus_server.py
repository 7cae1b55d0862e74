"""A Milvus standalone server for the tests and the scale curve, from the `milvus`
package: the same server binary and gRPC API as a cluster's nodes, with etcd embedded
and storage on local disk.

`start` lets the package write the server's configuration (its ports chosen then) and
launch it; `kill` is SIGKILL, as a crashed host; `restart` launches the same binary with
the same configuration, so the server comes back on the same ports, as a service manager
would bring it back. (The package's own `start` chooses ports afresh, and moves a port
still in TIME_WAIT to the next one.)

Left out: authentication and TLS, which the store passes through to pymilvus untested.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

from milvus import MilvusServer
from pymilvus import MilvusClient

from bench.live import memory_bytes

READY_SECONDS = 180


class MilvusProcess:
    """One server with its data in `folder`, listening on 127.0.0.1:`port`."""

    def __init__(self, folder: Path, port: int) -> None:
        self.folder = folder
        self.port = port
        self._server = MilvusServer()
        self._server.set_base_dir(str(folder))
        self._server.listen_port = port
        self._process: subprocess.Popen | None = None
        self._command: list[str] = []
        self._environment: dict[str, str] = {}

    @property
    def uri(self) -> str:
        """The server as a `QA_VECTOR_STORE` setting, without a collection."""
        return f"milvus://127.0.0.1:{self.port}"

    def start(self) -> None:
        self._server.start()  # writes configs/milvus.yaml, waits for /healthz
        process = self._server.server_proc
        assert process is not None
        self._command = list(process.args)  # type: ignore[arg-type]
        self._environment = {
            **os.environ,
            "DEPLOY_MODE": "STANDALONE",
            "METRICS_PORT": str(self._server.webservice_port),
            "MILVUS_RUN_DIR": str(self.folder / "run"),
            "LD_LIBRARY_PATH": f"{self.folder / 'bin'}:{os.environ.get('LD_LIBRARY_PATH', '')}",
        }
        self._process = process
        self.wait_until_serving()

    def resident_bytes(self) -> int:
        """The server's resident memory now (Linux)."""
        assert self._process is not None
        return memory_bytes(self._process.pid)

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flush, as when the host dies."""
        assert self._process is not None
        self._process.send_signal(signal.SIGKILL)
        self._process.wait(timeout=30)

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=30)
        self._server.server_proc = None  # so that its own stop() does nothing more
        self._server.stop()

    def restart(self) -> None:
        """The same binary, configuration and ports again, after `kill` or `stop`."""
        self.stop()
        with (self.folder / "logs" / "restarted.log").open("a") as log:
            self._process = subprocess.Popen(
                self._command,
                cwd=self.folder,
                env=self._environment,
                stdout=log,
                stderr=log,
            )
        self.wait_until_serving()

    def wait_until_serving(self) -> None:
        """Until a client can connect and list collections: /healthz says OK earlier."""
        deadline = time.monotonic() + READY_SECONDS
        while True:
            assert self._process is not None and self._process.poll() is None, "server died"
            try:
                client = MilvusClient(uri=f"http://127.0.0.1:{self.port}", timeout=2)
                client.list_collections(timeout=2)
                client.close()
                return
            except Exception:  # not serving yet; anything else fails at the deadline
                assert time.monotonic() < deadline, f"not serving after {READY_SECONDS} s"
                time.sleep(0.5)
