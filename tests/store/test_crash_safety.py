"""Killing a writer mid-change, or running out of disk, never leaves a corpus that lies.

After every kill the manifest names either the corpus before the change or after it,
complete, so it loads with every article's files, sentences and vectors in agreement,
and the search index holds exactly their sentences. FAISS never sees bad bytes.
"""

from __future__ import annotations

import errno
import json
import multiprocessing
import os
import random
import signal
import time
from pathlib import Path

import pytest

from qa.articles.sources import from_text
from qa.config import Config
from qa.engine import Engine
from qa.store import files
from qa.store.corpus import Corpus
from qa.store.files import CorpusStore
from tests.conftest import ARTICLE, ARTICLE_ID, ARTICLE_TEXT
from tests.fakes import FakeEmbedder

KILLS = 100
BIG = from_text("\n\n".join([ARTICLE_TEXT.strip()] * 5) + "\n", name="big")


def corpus(directory: Path) -> Corpus:
    return Corpus(CorpusStore(directory), FakeEmbedder())


def add_and_remove_forever(directory: Path) -> None:
    writer = corpus(directory)
    while True:
        writer.add([BIG])
        writer.remove(["big"])


def consistent(directory: Path) -> set[str]:
    """The ids of a corpus that loads whole; fails the test otherwise."""
    store = CorpusStore(directory)
    snapshot = corpus(directory).load()
    for entry in snapshot.catalogue.articles:
        indexed = store.load_article(snapshot.catalogue, entry)
        assert all(indexed.article.text[s.start : s.end] == s.text for s in indexed.sentences)
    assert snapshot.search is not None
    assert snapshot.search.size == snapshot.catalogue.sentence_count
    return {entry.id for entry in snapshot.catalogue.articles}


def published(directory: Path) -> set[str]:
    """The ids the manifest names right now (it is replaced whole, never written in place)."""
    manifest = json.loads((directory / "manifest.json").read_bytes())
    return {entry["id"] for entry in manifest["articles"]}


def test_sigkill_during_changes_never_corrupts(tmp_path: Path) -> None:
    """Kills land in every phase of adding and removing, both outcomes on purpose: half
    the writers are killed a random moment after they start (mostly mid-add, so the
    corpus stays as before), half a random moment after their add is published (mostly
    mid-remove, so it stays as after)."""
    corpus(tmp_path).open(ARTICLE)
    started = time.perf_counter()
    corpus(tmp_path).add([BIG])  # the forked writers inherit the parser this loads
    adding = time.perf_counter() - started
    corpus(tmp_path).remove(["big"])
    fork = multiprocessing.get_context("fork")
    rng = random.Random(7)
    outcomes = {"before": 0, "after": 0}
    for kill in range(KILLS):
        writer = fork.Process(target=add_and_remove_forever, args=(tmp_path,), daemon=True)
        writer.start()
        if kill % 2:
            deadline = time.monotonic() + 60
            while "big" not in published(tmp_path) and time.monotonic() < deadline:
                time.sleep(0.001)
            time.sleep(rng.uniform(0.0, 0.01))
        else:
            time.sleep(rng.uniform(0.0, adding))
        assert writer.pid is not None
        os.kill(writer.pid, signal.SIGKILL)
        writer.join()
        ids = consistent(tmp_path)  # raises if the manifest named an incomplete set
        outcomes["after" if "big" in ids else "before"] += 1
    assert sum(outcomes.values()) == KILLS and min(outcomes.values()) > 0, outcomes
    print(f"after {KILLS} kills: {outcomes}")
    # The lock died with its holder: a new writer is not kept waiting.
    corpus(tmp_path).add([from_text("A last story. “It ends,” Jo Doe said.\n", name="last")])
    engine, report = Engine.open(Config(index_dir=tmp_path), FakeEmbedder())
    assert report.action == "loaded" and "last" in {e.id for e in engine.articles}
    temporaries = [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert temporaries == [], "a commit sweeps up what killed writers left"


def test_full_disk_during_an_add_leaves_the_old_corpus(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus(tmp_path).open(ARTICLE)
    before = (tmp_path / "manifest.json").read_bytes()
    real_fsync = os.fsync
    calls = {"count": 0}

    def fsync_then_disk_full(fd: int) -> None:
        calls["count"] += 1
        if calls["count"] == 2:  # the second file of the new article hits a full disk
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(files.os, "fsync", fsync_then_disk_full)
    with pytest.raises(OSError, match="No space left"):
        corpus(tmp_path).add([BIG])
    monkeypatch.setattr(files.os, "fsync", real_fsync)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")], "no temporaries"
    assert (tmp_path / "manifest.json").read_bytes() == before
    assert consistent(tmp_path) == {ARTICLE_ID}
