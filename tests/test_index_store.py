import json
import logging
from pathlib import Path

import pytest

from qa import index_store
from qa.engine import DEFAULT_ARTICLE, Engine, Settings
from tests.fakes import FakeEmbedder


def open_engine(index_dir: Path, article: Path = DEFAULT_ARTICLE, embedder=None):
    return Engine.open(
        Settings(article_path=article, index_dir=index_dir), embedder or FakeEmbedder()
    )


def test_first_open_builds_then_loads(private_index: Path) -> None:
    first, report = open_engine(private_index)
    assert report.action == "rebuilt" and report.reason == "there was none"
    names = sorted(p.name for p in private_index.iterdir())
    assert names[0] == "manifest.json" and len(names) == 3
    assert names[1].startswith("sentences-") and names[2].startswith("vectors-")
    second, report = open_engine(private_index)
    assert report.action == "loaded"
    assert second.sentences == first.sentences
    question = "What did NATO say about ground forces?"
    assert second.ask(question) == first.ask(question)


def test_manifest_records_what_built_it(private_index: Path) -> None:
    open_engine(private_index)
    manifest = json.loads((private_index / "manifest.json").read_text())
    assert manifest["format_version"] == index_store.FORMAT_VERSION
    assert manifest["model_id"] == "fake-bag-of-words"
    assert manifest["dimension"] == 64
    assert manifest["segmenter"].startswith("syntok ")
    assert manifest["sentence_count"] == 22
    assert len(manifest["article_sha256"]) == 64
    assert set(manifest["files"]) == {manifest["vectors"], manifest["sentences"]}


def test_changed_article_rebuilds(private_index: Path, tmp_path: Path, caplog) -> None:
    article = tmp_path / "article.txt"
    article.write_text(DEFAULT_ARTICLE.read_text(encoding="utf-8"), encoding="utf-8")
    open_engine(private_index, article)
    caplog.clear()
    article.write_text("A new story. “It is short,” Jane Roe said.\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="qa"):
        engine, report = open_engine(private_index, article)
    assert report.action == "rebuilt" and "article_sha256 changed" in report.reason
    assert len(engine.sentences) == 2
    assert [r.message for r in caplog.records if "rebuilt" in r.message] == [
        report.describe(private_index)
    ]


def test_changed_model_rebuilds(private_index: Path) -> None:
    open_engine(private_index)

    class OtherModel(FakeEmbedder):
        model_id = "another-model"

    _, report = open_engine(private_index, embedder=OtherModel())
    assert report.action == "rebuilt" and "model_id changed" in report.reason


def file_named(directory: Path, key: str) -> Path:
    if key == "manifest":
        return directory / "manifest.json"
    return directory / json.loads((directory / "manifest.json").read_text())[key]


@pytest.mark.parametrize(
    ("key", "damage"),
    [
        ("vectors", lambda data: data[: len(data) // 2]),
        ("vectors", lambda data: b""),
        ("vectors", lambda data: bytes([data[0] ^ 0xFF]) + data[1:]),
        ("vectors", lambda data: data[:-1] + bytes([data[-1] ^ 0x01])),
        ("sentences", lambda data: b"garbage"),
        ("manifest", lambda data: b"{not json"),
        ("manifest", lambda data: b"[]"),
        ("manifest", lambda data: data.replace(b'"vectors": "', b'"vectors": "../')),
    ],
)
def test_damaged_index_is_rebuilt_not_crashed_on(private_index: Path, key: str, damage) -> None:
    first, _ = open_engine(private_index)
    path = file_named(private_index, key)
    path.write_bytes(damage(path.read_bytes()))
    engine, report = open_engine(private_index)
    assert report.action == "rebuilt"
    assert engine.sentences == first.sentences
    _, report = open_engine(private_index)
    assert report.action == "loaded"


def test_missing_data_file_is_rebuilt(private_index: Path) -> None:
    open_engine(private_index)
    file_named(private_index, "vectors").unlink()
    _, report = open_engine(private_index)
    assert report.action == "rebuilt" and "cannot read vectors-" in report.reason


def test_old_files_are_removed_once_a_new_index_lands(private_index: Path, tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text("One sentence here. “Another,” Jane Roe said.\n", encoding="utf-8")
    open_engine(private_index)
    (private_index / ".vectors-left.faiss.tmp").write_bytes(b"from a killed writer")
    (private_index / ".gitkeep").write_bytes(b"")
    (private_index / "notes.txt").write_text("someone else's file")
    open_engine(private_index, article)
    manifest = json.loads((private_index / "manifest.json").read_text())
    assert {p.name for p in private_index.iterdir()} == {
        "manifest.json",
        manifest["vectors"],
        manifest["sentences"],
        ".gitkeep",
        "notes.txt",
    }
