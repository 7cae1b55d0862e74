"""What only the Milvus store does: its address, and copying a FAISS corpus into it."""

from __future__ import annotations

import uuid
from dataclasses import replace
from pathlib import Path

import pytest

from qa.articles.sources import read_file
from qa.config import Config
from qa.engine import Engine
from qa.store.choice import open_corpus
from qa.store.milvus_rows import MilvusAddress
from qa.ui import cli
from tests.conftest import ARTICLE, ARTICLE_ID, PAGES
from tests.fakes import CountingEmbedder, FakeEmbedder
from tests.store.test_backends import STORM, assert_rows_fit, story


def test_an_address_names_server_database_collection_and_token() -> None:
    address = MilvusAddress.parse("milvus+https://reader:s%40cret@db.example/news?collection=c2")
    assert (address.uri, address.database, address.collection) == (
        "https://db.example:19530",
        "news",
        "c2",
    )
    assert address.token == "reader:s@cret" and "cret" not in repr(address)
    with pytest.raises(ValueError, match="collection name"):
        MilvusAddress.parse("milvus://db.example:19530?collection=drop table")


def test_a_store_that_is_not_known_is_refused_with_the_forms_that_are(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="must start with milvus://"):
        Config(vector_store="opensearch://db:9200")
    assert cli.main(["migrate", "--to", str(tmp_path)]) == 1


def test_migrating_copies_articles_and_vectors_without_embedding(
    private_index: Path, milvus_server: str
) -> None:
    faiss = Config(article_path=ARTICLE, index_dir=private_index)
    engine, _ = Engine.open(faiss, embedder=FakeEmbedder())
    engine.add([read_file(PAGES / name) for name in ("storm.html", "budget.html")])
    target = replace(faiss, vector_store=f"{milvus_server}?collection=migrated")
    embedder = CountingEmbedder()
    changes = open_corpus(target, embedder).copy_from(open_corpus(faiss, embedder))
    assert [c.action for c in changes] == ["added"] * 3 and embedder.passages == 0
    moved, report = Engine.open(target, embedder=embedder)
    assert report.action == "loaded" and embedder.passages == 0
    assert [a.id for a in moved.articles] == [ARTICLE_ID, "storm", "budget"]
    assert moved.ask(STORM).to_dict() == engine.ask(STORM).to_dict()
    assert_rows_fit(target)
    again = open_corpus(target, embedder).copy_from(open_corpus(faiss, embedder))
    assert [c.action for c in again] == ["unchanged"] * 3, "a second run copies nothing"


def test_two_index_folders_naming_one_collection_share_no_rows(
    tmp_path: Path, milvus_server: str
) -> None:
    setting = f"{milvus_server}?collection=shared_{uuid.uuid4().hex[:8]}"
    configs = [
        Config(article_path=ARTICLE, index_dir=tmp_path / name, vector_store=setting)
        for name in ("north", "south")
    ]
    engines = [Engine.open(config, embedder=FakeEmbedder())[0] for config in configs]
    engines[0].add([story("lighthouse")])
    engines[1].add([story("harbour")])
    assert [a.id for a in engines[0].articles] == [ARTICLE_ID, "lighthouse"]
    assert [a.id for a in engines[1].articles] == [ARTICLE_ID, "harbour"]
    engines[0].remove([ARTICLE_ID])  # the same article id in the other folder stays whole
    for config in configs:
        assert_rows_fit(config)
    assert engines[1].ask(STORM).citations, "the south folder still answers from its rows"


@pytest.mark.slow
def test_migrating_into_a_target_with_articles_needs_merge(
    private_index: Path, milvus_server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    target = f"{milvus_server}?collection=m_{uuid.uuid4().hex[:8]}"
    faiss = Config(article_path=ARTICLE, index_dir=private_index)
    engine, _ = Engine.open(faiss)  # the model `qa migrate` loads
    engine.add([read_file(PAGES / "storm.html")])
    assert cli.main(["migrate", "--to", target]) == 0
    engine.add([read_file(PAGES / "budget.html")])
    assert cli.main(["migrate", "--to", target]) == 1
    assert "already holds 2 articles; add --merge" in capsys.readouterr().err
    moved = replace(faiss, vector_store=target)
    assert len(Engine.open(moved, embedder=engine.embedder)[0].articles) == 2
    assert cli.main(["migrate", "--to", target, "--merge"]) == 0
    assert len(Engine.open(moved, embedder=engine.embedder)[0].articles) == 3
