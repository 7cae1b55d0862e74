"""Both vector stores for one suite: FAISS files, and a Milvus standalone server.

The server (see `milvus_process`) is started once per session, with its data in a
temporary folder; each test gets its own collection. Tests that kill or restart it
leave it serving.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.live import free_port
from bench.milvus_server import MilvusProcess
from qa.config import Config
from tests.conftest import ARTICLE


@pytest.fixture(scope="session")
def milvus_process(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MilvusProcess]:
    server = MilvusProcess(tmp_path_factory.mktemp("milvus"), free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def milvus_server(milvus_process: MilvusProcess) -> str:
    """`milvus://127.0.0.1:PORT` of the session's server."""
    return milvus_process.uri


@pytest.fixture(params=["faiss", "milvus"])
def backend(request: pytest.FixtureRequest, private_index: Path) -> Config:
    """The settings of a new corpus of the fast tests' article, on each vector store."""
    store = ""
    if request.param == "milvus":
        server = request.getfixturevalue("milvus_server")
        store = f"{server}?collection=t_{uuid.uuid4().hex[:12]}"
    return Config(article_path=ARTICLE, index_dir=private_index, vector_store=store)


@pytest.fixture
def backend_milvus(private_index: Path, milvus_server: str) -> Config:
    """The settings of a new corpus of the fast tests' article in a new Milvus collection."""
    store = f"{milvus_server}?collection=t_{uuid.uuid4().hex[:12]}"
    return Config(article_path=ARTICLE, index_dir=private_index, vector_store=store)
