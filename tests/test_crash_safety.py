"""Killing the indexer mid-write, or running out of disk, never leaves an index that lies.

After every kill the manifest names either the old index or the new one, complete, so
`load` returns one of them with vectors, sentences and manifest in agreement. FAISS
never sees bad bytes.
"""

from __future__ import annotations

import errno
import multiprocessing
import os
import random
import signal
import time
from pathlib import Path

import pytest

from qa import index_store
from qa.engine import Engine, Settings, build_index, build_key
from qa.index_store import IndexUnavailable, StoredIndex
from qa.records import Article
from tests.conftest import SEED_TEXT
from tests.fakes import FakeEmbedder

KILLS = 100


def article(text: str, name: str) -> Article:
    import hashlib

    return Article(name, f"{name}.txt", text, hashlib.sha256(text.encode()).hexdigest())


OLD = article(SEED_TEXT, "old")
NEW = article("\n\n".join([SEED_TEXT.strip()] * 30) + "\n", "new")  # big enough to take a while


def stored(source: Article) -> StoredIndex:
    embedder = FakeEmbedder()
    return build_index(source, embedder, build_key(source, embedder))


def write_forever(directory: Path, first: StoredIndex, second: StoredIndex) -> None:
    while True:
        index_store.save(directory, first)
        index_store.save(directory, second)


def consistent(loaded: StoredIndex, source: Article) -> bool:
    return loaded.vectors.size == len(loaded.passages.texts) and all(
        source.text[s.start : s.end] == s.text for s in loaded.sentences
    )


def test_sigkill_during_writes_never_corrupts(tmp_path: Path) -> None:
    old, new = stored(OLD), stored(NEW)
    index_store.save(tmp_path, old)
    fork = multiprocessing.get_context("fork")
    rng = random.Random(7)
    outcomes = {"old": 0, "new": 0, "refused": 0}
    for _ in range(KILLS):
        writer = fork.Process(target=write_forever, args=(tmp_path, new, old), daemon=True)
        writer.start()
        time.sleep(rng.uniform(0.0, 0.05))
        assert writer.pid is not None
        os.kill(writer.pid, signal.SIGKILL)
        writer.join()
        for name, source, built in (("old", OLD, old), ("new", NEW, new)):
            try:
                loaded = index_store.load(tmp_path, built.key)
            except IndexUnavailable:
                continue
            assert consistent(loaded, source)
            outcomes[name] += 1
            break
        else:
            outcomes["refused"] += 1
    assert sum(outcomes.values()) == KILLS
    assert outcomes["refused"] == 0, outcomes  # the manifest always names a complete set
    print(f"after {KILLS} kills: {outcomes}")
    # Whatever was left, opening the engine on it works.
    engine, _ = Engine.open(Settings(index_dir=tmp_path), FakeEmbedder())
    assert len(engine.sentences) == 22


def test_full_disk_during_a_write_leaves_the_old_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = stored(OLD)
    index_store.save(tmp_path, old)
    real_fsync = os.fsync
    calls = {"count": 0}

    def fsync_then_disk_full(fd: int) -> None:
        calls["count"] += 1
        if calls["count"] == 2:  # the second file of the new index hits a full disk
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(index_store.os, "fsync", fsync_then_disk_full)
    with pytest.raises(OSError, match="No space left"):
        index_store.save(tmp_path, stored(NEW))
    monkeypatch.setattr(index_store.os, "fsync", real_fsync)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "no temporaries left"
    with pytest.raises(IndexUnavailable):
        index_store.load(tmp_path, stored(NEW).key)
    assert consistent(index_store.load(tmp_path, old.key), OLD), "the old index is still whole"
