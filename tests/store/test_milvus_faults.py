"""A real Milvus server failing under the store: killed while the app answers, killed in
the middle of `qa add`, restarted; writers killed between their rows and their manifest;
and a rebuild under another model cut short.

Every test ends with the server serving again, for the next one.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np
import pytest
from gradio_client import Client

from bench.milvus_server import MilvusProcess
from qa.config import Config
from qa.engine import Engine
from qa.search.indexing import index_article
from qa.store.choice import open_corpus
from qa.store.milvus_ledger import PENDING
from qa.store.milvus_store import MilvusStore
from qa.ui import cli
from tests.conftest import ARTICLE, ARTICLE_ID, PAGES, ROOT, SEED_ID, running_app
from tests.fakes import FakeEmbedder
from tests.store.test_backends import STORM, assert_rows_fit, story

pytestmark = pytest.mark.slow

UNAVAILABLE = "vector database is unavailable"
# The bound for a clear error while the server is down: a hang is what it rules out.
ERROR_SECONDS = 10
BACK_SECONDS = 180  # a restarted server loads the collection before it answers
T = TypeVar("T")


def collection(server: MilvusProcess) -> str:
    return f"{server.uri}?collection=t_{uuid.uuid4().hex[:12]}"


def when_back(call: Callable[[], T]) -> T:
    """`call`'s result once a restarted server has loaded the collection and answers."""
    deadline = time.monotonic() + BACK_SECONDS
    while True:
        try:
            return call()
        except Exception as error:
            assert UNAVAILABLE in str(error) and time.monotonic() < deadline, error
            time.sleep(1)


def test_a_killed_server_fails_questions_clearly_and_a_restart_brings_the_same_answers(
    milvus_process: MilvusProcess, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    setting = collection(milvus_process)
    monkeypatch.setenv("QA_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("QA_VECTOR_STORE", setting)
    # Five articles or more: a question about all of them searches Milvus first.
    extra = []
    for name, text in {
        "ferry": "The ferry to Arran was cancelled on Monday. “The swell is too high,” "
        "said the captain, Moira Bell. Services resume on Wednesday.\n",
        "orchard": "An orchard in Kent lost 400 trees to a late frost. “We have never "
        "seen it this bad,” the grower, Tom Hale, said.\n",
    }.items():
        (tmp_path / f"{name}.txt").write_text(text)
        extra.append(str(tmp_path / f"{name}.txt"))
    pages = [str(PAGES / name) for name in ("storm.html", "budget.html", "vaccine.html")]
    assert cli.main(["add", *pages, *extra]) == 0
    questions = [
        STORM,
        "How many missiles has Russia fired at Ukraine?",
        "Why was the ferry to Arran cancelled?",
        "How many trees did the orchard lose?",
    ]
    with running_app(tmp_path, QA_VECTOR_STORE=setting) as (url, app):
        client = Client(url, verbose=False)
        before = [client.predict(q, [], api_name="/ask") for q in questions]
        assert all(answer["found"] for answer in before)
        milvus_process.kill()
        try:
            for question in questions:
                started = time.monotonic()
                with pytest.raises(Exception, match=UNAVAILABLE):
                    client.predict(question, [], api_name="/ask")
                assert time.monotonic() - started < ERROR_SECONDS
            assert app.poll() is None, "the app stays up"
        finally:
            milvus_process.restart()
        # The same app process, not restarted.
        after = when_back(lambda: [client.predict(q, [], api_name="/ask") for q in questions])
        assert after == before
        assert "Traceback" not in (tmp_path / "server.log").read_text()


def test_a_server_killed_in_the_middle_of_an_add_publishes_nothing(
    milvus_process: MilvusProcess, tmp_path: Path
) -> None:
    setting = collection(milvus_process)
    config = Config(article_path=ARTICLE, index_dir=tmp_path / "index", vector_store=setting)
    environment = {**os.environ, "QA_INDEX_DIR": str(config.index_dir), "QA_VECTOR_STORE": setting}
    folder = tmp_path / "stories"
    folder.mkdir()
    # Fewer than a commit's worth (256): the whole add is one manifest or none.
    for number in range(200):
        (folder / f"story{number}.txt").write_text(story(f"n{number}").text)
    command = [sys.executable, "-m", "qa", "add", str(folder)]
    first = subprocess.run([*command[:-1], str(folder / "story0.txt")], cwd=ROOT, env=environment)
    assert first.returncode == 0
    engine, _ = Engine.open(config)
    corpus = open_corpus(config, engine.embedder)
    vectors = corpus.vectors
    assert isinstance(vectors, MilvusStore)
    rows = vectors.rows
    before = rows.count(every_build=True)
    writer = subprocess.Popen(command, cwd=ROOT, env=environment, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while rows.count(every_build=True) < before + 20:  # some of its rows are in
            assert writer.poll() is None and time.monotonic() < deadline
            time.sleep(0.1)
        milvus_process.kill()
        _, errors = writer.communicate(timeout=120)
    finally:
        milvus_process.restart()
    assert writer.returncode == 1 and UNAVAILABLE in errors and "Traceback" not in errors
    assert [a.id for a in engine.articles] == [SEED_ID, "story0"]
    # The half-done add's rows are in Milvus, nearest the question, yet answer nothing.
    question = "Quote n7"
    query = engine.embedder.encode_queries([question])[0]
    nearest = when_back(lambda: rows.search(query, 64))
    assert {article for article, _, _ in nearest} - {SEED_ID, "story0"}
    assert {c.article for c in engine.ask(question).citations} <= {SEED_ID, "story0"}
    # The next add completes, and the rows the first one left are gone with it.
    finished = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True)
    assert finished.returncode == 0, finished.stderr
    assert len(engine.articles) == 201
    listed_rows = sum(entry.rows for entry in corpus.load().catalogue.articles)
    assert rows.count(every_build=True) == rows.count() == listed_rows
    assert not (vectors.store.directory / PENDING).exists()


class OtherModel(FakeEmbedder):
    """Another model of the same dimension: the same words, other vectors."""

    model_id = "fake-bag-of-words-reversed"

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        return super().encode_passages(texts)[:, ::-1].copy()


def write_rows_then_die(config: Config, name: str, other_model: bool) -> None:
    """A writer killed after its rows are in and before its manifest is."""
    embedder = OtherModel() if other_model else FakeEmbedder()
    corpus = open_corpus(config, embedder)
    with corpus.store.writing():
        corpus.vectors.write(index_article(story(name), embedder), name)
        os.kill(os.getpid(), signal.SIGKILL)


def killed_writer(config: Config, name: str, other_model: bool = False) -> None:
    writer = multiprocessing.get_context("spawn").Process(
        target=write_rows_then_die, args=(config, name, other_model)
    )
    writer.start()
    writer.join(timeout=120)
    assert writer.exitcode == -signal.SIGKILL


def test_the_next_writer_deletes_the_rows_of_killed_writers(backend_milvus: Config) -> None:
    corpus = open_corpus(backend_milvus, FakeEmbedder())
    corpus.open(ARTICLE)
    store = corpus.vectors
    assert isinstance(store, MilvusStore)
    listed = store.rows.count()
    for name in ("orphan-1", "orphan-2"):
        killed_writer(backend_milvus, name)
    assert store.rows.count() > listed, "the killed writers' rows are in Milvus"
    assert [a.id for a in corpus.load().catalogue.articles] == [ARTICLE_ID]
    # Another article, not the orphans' ids: their rows go all the same.
    corpus.add([story("later")])
    assert_rows_fit(backend_milvus)
    assert store.rows.count(every_build=True) == store.rows.count()


def test_a_rebuild_under_another_model_cut_short_mixes_no_vectors(
    backend_milvus: Config,
) -> None:
    first = open_corpus(backend_milvus, FakeEmbedder())
    first.open(ARTICLE)
    first.add([story("one"), story("two")])
    catalogue = first.load().catalogue
    expected = {e.id: first.load_article(catalogue, e).vectors for e in catalogue.articles}
    # The new model's writer is killed halfway: the old build still reads whole and its own.
    killed_writer(backend_milvus, "one", other_model=True)
    for entry in catalogue.articles:
        np.testing.assert_array_equal(
            first.load_article(catalogue, entry).vectors, expected[entry.id]
        )
    # The rebuild finished: only the new model's vectors are left.
    second = open_corpus(backend_milvus, OtherModel())
    _, report = second.open(ARTICLE)
    assert report.action == "rebuilt"
    rebuilt = second.load().catalogue
    for entry in rebuilt.articles:
        vectors = second.load_article(rebuilt, entry).vectors
        np.testing.assert_array_equal(vectors, expected[entry.id][:, ::-1])
    store = second.vectors
    assert isinstance(store, MilvusStore)
    assert (
        store.rows.count(every_build=True)
        == store.rows.count()
        == sum(entry.rows for entry in rebuilt.articles)
    )
