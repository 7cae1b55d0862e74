"""Shared fixtures: a private index per test, the fake and real engines, a live server."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from qa.config import Config, default_article, go_offline

# Test modules import gradio_client, which imports huggingface_hub: offline before that.
go_offline()

from bench.live import free_port, wait_for  # noqa: E402
from qa.articles.annotate import annotate  # noqa: E402
from qa.articles.people import Person  # noqa: E402
from qa.engine import Engine  # noqa: E402
from tests.fakes import FakeEmbedder  # noqa: E402
from tests.site import Site  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The fast tests' own article: a frozen copy of a NATO and Ukraine report, so that the
# shipped seed can change without breaking them. The product's tests use the seed itself.
ARTICLE = FIXTURES / "articles" / "alliance.txt"
ARTICLE_TEXT = ARTICLE.read_text(encoding="utf-8")
ARTICLE_ID = "alliance"
SEED = default_article()
SEED_TEXT = SEED.read_text(encoding="utf-8")
SEED_ID = "000_fa83349e7fd05c60"
PAGES = FIXTURES / "pages"  # news pages shaped like real ones: navigation, ads, bylines


def people_in(text: str) -> list[Person]:
    """The people an article names, as reading it finds them."""
    return annotate(text).people


def seed_anchor(sentence_id: str) -> str:
    """The element id of a seed sentence in the page."""
    return f"qa-{SEED_ID}-{sentence_id}"


@pytest.fixture(autouse=True)
def private_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test writes its index under its own temporary directory, never into index/."""
    directory = tmp_path / "index"
    monkeypatch.setenv("QA_INDEX_DIR", str(directory))
    return directory


@pytest.fixture
def fake_engine(private_index: Path) -> Engine:
    engine, _ = Engine.open(
        Config(article_path=ARTICLE, index_dir=private_index), embedder=FakeEmbedder()
    )
    return engine


@pytest.fixture(scope="session")
def real_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("real-index")


@pytest.fixture(scope="session")
def real_engine(real_index: Path) -> Engine:
    engine, _ = Engine.open(Config(index_dir=real_index))
    return engine


def marks_balance(text: str) -> bool:
    """Every curly opening mark is closed after it, before another double mark opens (a
    quotation inside a quotation takes single marks), and straight marks come in pairs."""
    depth = 0
    for mark in text:
        depth += {"“": 1, "”": -1}.get(mark, 0)
        if depth not in (0, 1):
            return False
    return depth == 0 and text.count('"') % 2 == 0


def stream_result(stream: str) -> dict:
    """The first output of a completed event stream."""
    assert "event: complete" in stream, stream[-300:]
    return json.loads(stream.rsplit("data: ", 1)[1])[0]


@contextlib.contextmanager
def running_app(folder: Path, **env: str) -> Iterator[tuple[str, subprocess.Popen]]:
    """`python app.py` on a free port, as a user starts it; its index and log in `folder`."""
    port = free_port()
    environment = {
        **os.environ,
        "GRADIO_SERVER_PORT": str(port),
        "QA_INDEX_DIR": str(folder / "index"),
        **env,
    }
    with (folder / "server.log").open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "app.py"], cwd=ROOT, env=environment, stdout=log, stderr=log
        )
        url = f"http://127.0.0.1:{port}/"
        try:
            wait_for(url, process)
            yield url, process
        finally:
            process.terminate()
            process.wait(timeout=20)


@pytest.fixture
def site() -> Iterator[Site]:
    """A web site on 127.0.0.1 for the tests that fetch (see `tests.site`)."""
    served = Site()
    yield served
    served.close()


@pytest.fixture
def connections(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every address a connection is opened to while the test runs, as it is opened."""
    opened: list[str] = []
    create = socket.create_connection

    def recorded(address: tuple[str, int], *args: object, **kwargs: object) -> socket.socket:
        opened.append(address[0])
        return create(address, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "create_connection", recorded)
    return opened


@pytest.fixture(scope="session")
def server_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("server")


@pytest.fixture(scope="session")
def server_index(server_folder: Path) -> Path:
    return server_folder / "index"


@pytest.fixture(scope="session")
def server(server_folder: Path) -> Iterator[str]:
    """The app as the tests share it: with its MCP tools on (`QA_MCP=1`)."""
    with running_app(server_folder, QA_MCP="1") as (url, _):
        yield url
