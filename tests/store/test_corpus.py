"""Adding, re-adding and removing articles: only what changed is embedded, nothing lies."""

from __future__ import annotations

import multiprocessing
import shutil
from pathlib import Path

import numpy as np
import pytest

from qa.articles.sources import from_text, read_file
from qa.config import Config
from qa.engine import Engine
from qa.search.indexing import index_article, index_articles
from qa.store import corpus as corpus_module
from qa.store.corpus import Corpus, UnknownArticle
from qa.store.files import CorpusStore
from tests.conftest import ARTICLE, ARTICLE_ID, PAGES
from tests.fakes import CountingEmbedder, FakeEmbedder


def open_corpus(directory: Path, embedder: FakeEmbedder | None = None) -> Corpus:
    writer = Corpus(CorpusStore(directory), embedder or FakeEmbedder())
    writer.open(ARTICLE)
    return writer


def test_adding_embeds_only_the_new_article(private_index: Path) -> None:
    embedder = CountingEmbedder()
    writer = open_corpus(private_index, embedder)
    seed_rows = embedder.passages
    (change,) = writer.add([read_file(PAGES / "storm.html")])
    assert change.action == "added" and change.article.id == "storm"
    snapshot = writer.load()
    storm = snapshot.catalogue.find("storm")
    assert storm is not None and embedder.passages - seed_rows == storm.rows < seed_rows
    assert [e.id for e in snapshot.catalogue.articles] == [ARTICLE_ID, "storm"]
    assert snapshot.search is not None and snapshot.search.size == 22 + change.article.sentences


def test_adding_an_unchanged_article_does_nothing(private_index: Path) -> None:
    embedder = CountingEmbedder()
    writer = open_corpus(private_index, embedder)
    writer.add([read_file(PAGES / "storm.html")])
    manifest = (private_index / "manifest.json").read_bytes()
    embedded = embedder.passages
    (change,) = writer.add([read_file(PAGES / "storm.html")])
    assert change.action == "unchanged" and change.article.id == "storm"
    assert embedder.passages == embedded, "nothing embedded"
    assert (private_index / "manifest.json").read_bytes() == manifest, "nothing written"


def test_a_changed_file_replaces_its_article_under_the_same_id(
    private_index: Path, tmp_path: Path
) -> None:
    page = tmp_path / "storm.html"
    shutil.copy(PAGES / "storm.html", page)
    writer = open_corpus(private_index)
    writer.add([read_file(page)])
    page.write_text(page.read_text().replace("27 severe", "31 severe"))
    (change,) = writer.add([read_file(page)])
    assert change.action == "replaced" and change.article.id == "storm"
    engine, _ = Engine.open(Config(index_dir=private_index), FakeEmbedder())
    assert [e.id for e in engine.articles] == [ARTICLE_ID, "storm"]
    answer = engine.ask("How many severe flood warnings did the Environment Agency issue?")
    assert answer.citations[0].article == "storm" and "31 severe" in answer.citations[0].quote
    writer.add([read_file(PAGES / "budget.html")])  # the old version's readers had a commit
    texts = [p.read_text() for p in private_index.glob("text-*.txt")]
    assert not any("27 severe" in text for text in texts), "the old version's files are gone"


def test_removing_drops_the_articles_vectors_and_files(private_index: Path) -> None:
    writer = open_corpus(private_index)
    writer.add([read_file(PAGES / "storm.html"), read_file(PAGES / "budget.html")])
    files_before = {p.name for p in private_index.iterdir()}
    storm = writer.load().catalogue.find("storm")
    assert storm is not None
    (change,) = writer.remove(["storm"])
    assert change.action == "removed" and change.article.id == "storm"
    snapshot = writer.load()
    assert [e.id for e in snapshot.catalogue.articles] == [ARTICLE_ID, "budget"]
    assert snapshot.search is not None and snapshot.search.size == snapshot.catalogue.sentence_count
    assert set(storm.files) <= files_before
    assert set(storm.files) <= {p.name for p in private_index.iterdir()}, "kept for its readers"
    writer.add([read_file(PAGES / "vaccine.html")])
    assert not set(storm.files) & {p.name for p in private_index.iterdir()}
    with pytest.raises(UnknownArticle, match="There is no article 'storm'"):
        writer.remove(["storm"])


def test_ids_are_unique_and_pasted_articles_are_titled(private_index: Path, tmp_path: Path) -> None:
    writer = open_corpus(private_index)
    other = tmp_path / "elsewhere" / "storm.txt"
    other.parent.mkdir()
    other.write_text("# Another storm\n\nRain fell. “It was wet,” Jo Doe said.\n")
    pasted = from_text("Heat wave grips the city\n\nIt was hot, officials said.\n")
    changes = writer.add([read_file(PAGES / "storm.html"), read_file(other), pasted])
    assert [c.article.id for c in changes] == ["storm", "storm-2", "heat-wave-grips-the-city"]
    assert [c.article.title for c in changes][1:] == ["Another storm", "Heat wave grips the city"]
    assert changes[2].article.source == "pasted"


def test_a_folder_is_added_in_batches_and_stays_consistent(
    private_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(corpus_module, "COMMIT_EVERY", 2)
    folder = tmp_path / "many"
    folder.mkdir()
    for number in range(5):
        (folder / f"story{number}.txt").write_text(
            f"Story number {number} about topic{number}. “Quote {number},” Jo Doe said.\n"
        )
    writer = open_corpus(private_index)
    published = []
    commit = writer.store.commit

    def counting_commit(*args, **kwargs):
        published.append(1)
        return commit(*args, **kwargs)

    monkeypatch.setattr(writer.store, "commit", counting_commit)
    changes = writer.add(read_file(path) for path in sorted(folder.iterdir()))
    assert [c.action for c in changes] == ["added"] * 5
    assert len(published) == 3, "two full batches and the rest"
    snapshot = writer.load()
    assert snapshot.search is not None and snapshot.search.size == snapshot.catalogue.sentence_count
    engine, _ = Engine.open(Config(index_dir=private_index), FakeEmbedder())
    answer = engine.ask("What about topic3?")
    assert answer.citations[0].article == "story3"


def test_articles_indexed_together_are_indexed_as_alone(private_index: Path) -> None:
    """A group shares the encoder's and the parser's batches, and changes nothing else: each
    article's sentences, people, quotations, rows and vectors are its own."""
    stories = [read_file(PAGES / name) for name in ("storm.html", "budget.html", "vaccine.html")]
    together = index_articles(stories, FakeEmbedder())
    for story, indexed in zip(stories, together, strict=True):
        alone = index_article(story, FakeEmbedder())
        assert indexed.article == story
        assert (indexed.sentences, indexed.people) == (alone.sentences, alone.people)
        assert indexed.quotations == alone.quotations
        assert indexed.passages.texts == alone.passages.texts
        assert np.array_equal(indexed.vectors, alone.vectors)


def test_groups_end_where_their_text_reaches_the_limit() -> None:
    articles = [from_text(f"Story {n}. " + "word " * size) for n, size in enumerate([1, 1, 9, 1])]
    lengths = [len(a.text) for a in articles]
    groups = list(corpus_module._groups(iter(articles), sum(lengths[:3])))
    assert [len(group) for group in groups] == [3, 1]
    assert [len(g) for g in corpus_module._groups(articles, 1)] == [1, 1, 1, 1]


def test_a_group_embeds_a_repeated_text_once_and_reports_in_order(
    private_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    embedder = CountingEmbedder()
    writer = open_corpus(private_index, embedder)
    groups: list[int] = []
    index = writer._indexed_together

    def counted(articles: list) -> list:
        groups.append(len(articles))
        return index(articles)

    monkeypatch.setattr(writer, "_indexed_together", counted)
    copy = tmp_path / "copy.txt"
    copy.write_text(ARTICLE.read_text(encoding="utf-8") + "\nOne more line.\n")
    storm = read_file(PAGES / "storm.html")
    changes = writer.add([storm, read_file(ARTICLE), read_file(copy), storm])
    assert [c.action for c in changes] == ["added", "unchanged", "added", "unchanged"]
    assert changes[3].article.id == "storm"
    assert groups == [2], "one group; the stored article and the repeat are not embedded"


def test_the_old_version_of_a_file_replaced_in_the_same_group_is_added_again(
    private_index: Path, tmp_path: Path
) -> None:
    """Article by article, v2 replaces v1 and then v1 (from elsewhere) is new again: a
    group gives the same result, though v1 was stored when the group was formed."""
    page = tmp_path / "storm.txt"
    page.write_text("Storm\n\nRain fell all night. It was wet.\n")
    writer = open_corpus(private_index)
    old = read_file(page)
    writer.add([old])
    page.write_text("Storm\n\nRain fell all night. It was very wet.\n")
    elsewhere = tmp_path / "elsewhere" / "storm.txt"
    elsewhere.parent.mkdir()
    shutil.copy(tmp_path / "storm.txt", elsewhere)
    page_v2 = read_file(page)
    old_again = from_text(old.text, source=str(elsewhere), name="old")
    changes = writer.add([page_v2, old_again])
    assert [c.action for c in changes] == ["replaced", "added"]
    ids = [e.id for e in writer.load().catalogue.articles]
    assert ids == [ARTICLE_ID, "storm", "old"]


def add_pages(directory: str, pages: list[str]) -> None:
    writer = Corpus(CorpusStore(Path(directory)), FakeEmbedder())
    writer.add(
        [from_text(f"Story {page}. “Quote {page},” Jo Doe said.\n", name=page) for page in pages]
    )


def test_concurrent_writers_lose_nothing(private_index: Path) -> None:
    open_corpus(private_index)
    spawn = multiprocessing.get_context("spawn")
    batches = [[f"w{writer}-a{number}" for number in range(4)] for writer in range(4)]
    workers = [spawn.Process(target=add_pages, args=(str(private_index), b)) for b in batches]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    engine, report = Engine.open(Config(index_dir=private_index), FakeEmbedder())
    assert report.action == "loaded"
    expected = {ARTICLE_ID} | {page for batch in batches for page in batch}
    assert {e.id for e in engine.articles} == expected
    for entry in engine.articles:
        indexed = engine.indexed(entry.id)
        assert all(indexed.article.text[s.start : s.end] == s.text for s in indexed.sentences)
