"""The Milvus vector store: passage rows in a collection, articles' files in a folder.

An article's vectors are written to Milvus as it is added (see `milvus_rows`); its text
and sentences are written to the corpus folder, named by their hashes as with FAISS;
the manifest, replaced atomically, is still what publishes a change. So readers never
see half an article: rows a writer leaves before its manifest (killed, say) belong to no
listed article and are skipped by the first pass; the journal of pending rows
(`milvus_ledger.Pending`) has the next writer delete them. After each manifest the rows
of articles removed or replaced are deleted by article id, and, once a new build is
published whole, the rows of every other build: nothing is rebuilt.

The folder is `QA_INDEX_DIR/milvus-<collection>`, apart from a FAISS corpus in the same
index folder. Several app servers share one Milvus and mount that folder: the manifest
tells each of them when to reload, and writers queue on its lock as they do with FAISS.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

import numpy as np

from qa.errors import IndexUnavailable
from qa.search.embedding import Embedder
from qa.search.indexing import BuildKey, IndexedArticle, build_key
from qa.search.vector_index import VectorIndex
from qa.store.corpus import Corpus
from qa.store.files import ArticleEntry, Catalogue, CorpusStore
from qa.store.milvus_ledger import Content, Pending, namespace
from qa.store.milvus_rows import MilvusAddress, MilvusRows, RowOwner
from qa.store.seam import Snapshot


def build_id(key: BuildKey) -> str:
    """A short name for a build key, for the rows made under it."""
    return hashlib.sha256(json.dumps(asdict(key), sort_keys=True).encode()).hexdigest()[:16]


class MilvusStore:
    """Vectors in a Milvus collection; see the module's docstring."""

    def __init__(self, store: CorpusStore, rows: MilvusRows) -> None:
        self.store = store
        self.rows = rows
        self.location = rows.address.describe()
        self._pending = Pending(store.directory)

    def load_search(self, catalogue: Catalogue) -> VectorIndex | None:
        if catalogue.articles and self.rows.dimension != catalogue.dimension:
            raise IndexUnavailable(f"{self.location} holds no vectors for these articles")
        return None  # Milvus searches; nothing is held in memory

    def write(self, indexed: IndexedArticle, article_id: str) -> ArticleEntry:
        entry = self.store.write_article(indexed, article_id, with_vectors=False)
        self._pending.add(Content(article_id, entry.sha256, self.rows.owner.build))
        self.rows.put(article_id, indexed)
        return entry

    def article(self, catalogue: Catalogue, entry: ArticleEntry) -> IndexedArticle:
        vectors = self.rows.vectors(entry.id, entry.sha256, entry.rows)
        return self.store.assembled(catalogue, entry, vectors)

    def staged(self, search: VectorIndex | None, indexed: IndexedArticle) -> VectorIndex | None:
        return None

    def publish(
        self,
        key: BuildKey,
        entries: list[ArticleEntry],
        search: VectorIndex | None,
        rows_stale: bool,
        mend: Callable[[ArticleEntry], ArticleEntry | None],
    ) -> Snapshot:
        if build_id(key) != self.rows.owner.build:
            raise ValueError("the rows are written under another build key than this one")
        try:
            previous = self.store.read()
            before = {entry.id: entry.sha256 for entry in previous.articles}
            same_build = previous.key == key
        except IndexUnavailable:
            before, same_build = {}, False
        catalogue = self.store.commit(key, entries, None, self.rows.dimension)
        now = {entry.id: entry.sha256 for entry in entries}
        changed = [name for name in {**before, **now} if before.get(name) != now.get(name)]
        self.rows.delete(changed, keep=[now[name] for name in changed if name in now])
        listed = {Content(entry.id, entry.sha256, self.rows.owner.build) for entry in entries}
        for orphan in self._pending.contents() - listed:
            self.rows.delete_content(orphan.article, orphan.sha256, orphan.build)
        if not same_build:
            self.rows.delete_other_builds()
        self._pending.clear()
        return Snapshot(catalogue, None, self.store.signature())

    def nearest(self, snapshot: Snapshot, query: np.ndarray, rows: int) -> list[ArticleEntry]:
        catalogue = snapshot.catalogue
        found: dict[str, ArticleEntry] = {}
        for article_id, sha256, _ in self.rows.search(query, rows):
            entry = catalogue.find(article_id)
            if entry is not None and entry.sha256 == sha256:  # else a killed writer's row
                found.setdefault(article_id, entry)
        return list(found.values())

    def close(self) -> None:
        self.rows.close()


def milvus_corpus(
    setting: str,
    index_dir: Path,
    embedder: Embedder,
    progress: bool = False,
    on_wait: Callable[[], None] | None = None,
) -> Corpus:
    """The corpus whose vectors are in the Milvus collection `setting` names."""
    address = MilvusAddress.parse(setting)
    store = CorpusStore(index_dir / f"milvus-{address.collection}")
    owner = RowOwner(namespace(store.directory), build_id(build_key(embedder)))
    vectors = MilvusStore(store, MilvusRows(address, owner))
    return Corpus(store, embedder, progress, on_wait, vectors)
