"""Shared fixtures: a private index per test, the fake and real engines, a live server."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from qa.engine import DEFAULT_ARTICLE, Engine, Settings
from tests.fakes import FakeEmbedder

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED_TEXT = DEFAULT_ARTICLE.read_text(encoding="utf-8")
SEED_ID = "000_fa83349e7fd05c60"
PAGES = FIXTURES / "pages"  # news pages shaped like real ones: navigation, ads, bylines


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
    engine, _ = Engine.open(Settings(index_dir=private_index), embedder=FakeEmbedder())
    return engine


@pytest.fixture(scope="session")
def real_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("real-index")


@pytest.fixture(scope="session")
def real_engine(real_index: Path) -> Engine:
    engine, _ = Engine.open(Settings(index_dir=real_index))
    return engine


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, process: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer within {seconds} s")


def raw_call(
    port: int, endpoint: str, data: list, connection: http.client.HTTPConnection | None = None
) -> str:
    """POST /gradio_api/call/<endpoint>, then read its event stream to the end.

    The JSON is ASCII-escaped, so text that UTF-8 cannot carry (a lone surrogate) still goes.
    """
    link = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    body = json.dumps({"data": data})
    link.request("POST", f"/gradio_api/call/{endpoint}", body, {"Content-Type": "application/json"})
    response = link.getresponse()
    if response.status != 200:
        raise OSError(f"status {response.status}: {response.read()[:200]!r}")
    event = json.loads(response.read())["event_id"]
    link.request("GET", f"/gradio_api/call/{endpoint}/{event}")
    return link.getresponse().read().decode()


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


@pytest.fixture(scope="session")
def server_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("server")


@pytest.fixture(scope="session")
def server_index(server_folder: Path) -> Path:
    return server_folder / "index"


@pytest.fixture(scope="session")
def server(server_folder: Path) -> Iterator[str]:
    with running_app(server_folder) as (url, _):
        yield url
