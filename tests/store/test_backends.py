"""One suite for both vector stores: add, re-add, replace, remove, ask one article or
all, concurrent writers, and a server that notices another process's change."""

from __future__ import annotations

import multiprocessing
import shutil
from pathlib import Path

import pytest

from qa.articles.sources import from_text, read_file
from qa.config import Config
from qa.engine import Engine
from qa.errors import UnknownArticle
from qa.records import Article
from qa.store.choice import open_corpus
from qa.store.corpus import Corpus
from qa.store.milvus_store import MilvusStore
from tests.conftest import ARTICLE_ID, PAGES
from tests.fakes import CountingEmbedder, FakeEmbedder

STORM = "How many severe flood warnings did the Environment Agency issue?"


def story(name: str) -> Article:
    return from_text(f"Story {name}. “Quote {name},” Jo Doe said.\n", name=name)


def engine_on(config: Config, embedder: FakeEmbedder | None = None) -> Engine:
    return Engine.open(config, embedder=embedder or FakeEmbedder())[0]


def assert_rows_fit(config: Config) -> None:
    """The stored vectors are exactly those of the listed articles."""
    corpus = open_corpus(config, FakeEmbedder())
    snapshot = corpus.load()
    articles = snapshot.catalogue.articles
    if isinstance(corpus.vectors, MilvusStore):
        assert corpus.vectors.rows.count() == sum(entry.rows for entry in articles)
    else:
        assert snapshot.search is not None
        assert snapshot.search.size == snapshot.catalogue.sentence_count
    for entry in articles:
        indexed = corpus.load_article(snapshot.catalogue, entry)
        assert all(indexed.article.text[s.start : s.end] == s.text for s in indexed.sentences)


def test_added_articles_answer_alone_and_together(backend: Config) -> None:
    engine = engine_on(backend)
    pages = [read_file(PAGES / name) for name in ("storm.html", "budget.html", "vaccine.html")]
    engine.add([*pages, *(story(name) for name in ("harbour", "orchard"))])
    assert len(engine.articles) > 4, "more articles than answer at once: the first pass chooses"
    first = engine.ask(STORM).citations[0]
    assert first.article == "storm" and "27 severe" in first.quote
    alone = engine.ask(STORM, article="budget")
    assert {c.article for c in alone.citations} <= {"budget"}
    assert_rows_fit(backend)


def test_adding_again_embeds_nothing_and_writes_nothing(backend: Config) -> None:
    embedder = CountingEmbedder()
    engine = engine_on(backend, embedder)
    engine.add([read_file(PAGES / "storm.html")])
    embedded = embedder.passages
    manifest = next(Path(backend.index_dir).rglob("manifest.json")).read_bytes()
    (change,) = engine.add([read_file(PAGES / "storm.html")])
    assert change.action == "unchanged" and embedder.passages == embedded
    assert next(Path(backend.index_dir).rglob("manifest.json")).read_bytes() == manifest
    assert_rows_fit(backend)


def test_a_changed_file_replaces_its_article_and_its_rows(backend: Config, tmp_path: Path) -> None:
    page = tmp_path / "storm.html"
    shutil.copy(PAGES / "storm.html", page)
    engine = engine_on(backend)
    engine.add([read_file(page)])
    page.write_text(page.read_text().replace("27 severe", "31 severe"))
    (change,) = engine.add([read_file(page)])
    assert change.action == "replaced" and change.article.id == "storm"
    assert "31 severe" in engine.ask(STORM).citations[0].quote
    assert_rows_fit(backend)


def test_removing_an_article_leaves_no_trace(backend: Config) -> None:
    engine = engine_on(backend)
    engine.add([read_file(PAGES / "storm.html"), read_file(PAGES / "budget.html")])
    (change,) = engine.remove(["storm"])
    assert change.action == "removed"
    assert [a.id for a in engine.articles] == [ARTICLE_ID, "budget"]
    assert all(c.article != "storm" for c in engine.ask(STORM).citations)
    with pytest.raises(UnknownArticle):
        engine.ask(STORM, article="storm")
    assert_rows_fit(backend)
    (again,) = engine.add([read_file(PAGES / "storm.html")])
    assert again.action == "added" and engine.ask(STORM).citations[0].article == "storm"


def add_stories(config: Config, names: list[str]) -> None:
    corpus: Corpus = open_corpus(config, FakeEmbedder())
    corpus.add([story(name) for name in names])


def test_concurrent_writers_lose_nothing(backend: Config) -> None:
    engine_on(backend)
    spawn = multiprocessing.get_context("spawn")
    batches = [[f"w{writer}-a{number}" for number in range(3)] for writer in range(3)]
    workers = [spawn.Process(target=add_stories, args=(backend, batch)) for batch in batches]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    expected = {ARTICLE_ID} | {name for batch in batches for name in batch}
    assert {a.id for a in engine_on(backend).articles} == expected
    assert_rows_fit(backend)


def remove_stories(config: Config, names: list[str]) -> None:
    open_corpus(config, FakeEmbedder()).remove(names)


def test_a_running_engine_sees_another_process_change(backend: Config) -> None:
    serving = engine_on(backend)
    spawn = multiprocessing.get_context("spawn")
    for change, names in ((add_stories, ["lighthouse"]), (remove_stories, [ARTICLE_ID])):
        writer = spawn.Process(target=change, args=(backend, names))
        writer.start()
        writer.join(timeout=120)
        assert writer.exitcode == 0
    assert [a.id for a in serving.articles] == ["lighthouse"]
    assert serving.ask("What about the lighthouse story?").citations[0].article == "lighthouse"
