"""Both vector stores for one suite: FAISS files, and Milvus served by milvus-lite.

milvus-lite runs here as its own gRPC server, as a Milvus cluster would, so that
several processes (writers, a server) share it; each test gets its own collection.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.live import free_port
from qa.config import Config
from tests.conftest import ARTICLE


@pytest.fixture(scope="session")
def milvus_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`milvus://127.0.0.1:PORT` of a milvus-lite server with its data in a temporary folder."""
    folder = tmp_path_factory.mktemp("milvus")
    port = free_port()
    command = [sys.executable, "-m", "milvus_lite", "server", "--data-dir", str(folder / "data")]
    command += ["--host", "127.0.0.1", "--port", str(port)]
    with (folder / "server.log").open("w") as log:
        server = subprocess.Popen(command, stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, (
                    folder / "server.log"
                ).read_text()
                time.sleep(0.1)
        yield f"milvus://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=20)


@pytest.fixture(params=["faiss", "milvus"])
def backend(request: pytest.FixtureRequest, private_index: Path) -> Config:
    """The settings of a new corpus of the fast tests' article, on each vector store."""
    store = ""
    if request.param == "milvus":
        server = request.getfixturevalue("milvus_server")
        store = f"{server}?collection=t_{uuid.uuid4().hex[:12]}"
    return Config(article_path=ARTICLE, index_dir=private_index, vector_store=store)
