"""The Milvus vector store: passage rows in a collection, articles' files in a folder.

An article's vectors are written to Milvus as it is added (see `milvus_rows`); its text
and sentences are written to the corpus folder, named by their hashes as with FAISS;
the manifest, replaced atomically, is still what publishes a change. So readers never
see half an article: rows a writer leaves before its manifest (killed, say) belong to no
listed article and are skipped by the first pass, then deleted when that article id is
next written. After each manifest the rows of articles removed or replaced are deleted
by article id: nothing is rebuilt.

The folder is `QA_INDEX_DIR/milvus-<collection>`, apart from a FAISS corpus in the same
index folder. Several app servers share one Milvus and mount that folder: the manifest
tells each of them when to reload, and writers queue on its lock as they do with FAISS.

Left out: a sweep for rows of killed writers whose article id is never written again.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from qa.errors import IndexUnavailable
from qa.search.embedding import Embedder
from qa.search.indexing import BuildKey, IndexedArticle
from qa.search.vector_index import VectorIndex
from qa.store.corpus import Corpus
from qa.store.files import ArticleEntry, Catalogue, CorpusStore
from qa.store.milvus_rows import MilvusAddress, MilvusRows
from qa.store.seam import Snapshot


class MilvusStore:
    """Vectors in a Milvus collection; see the module's docstring."""

    def __init__(self, store: CorpusStore, rows: MilvusRows) -> None:
        self.store = store
        self.rows = rows
        self.location = rows.address.describe()

    def load_search(self, catalogue: Catalogue) -> VectorIndex | None:
        if catalogue.articles and self.rows.dimension != catalogue.dimension:
            raise IndexUnavailable(f"{self.location} holds no vectors for these articles")
        return None  # Milvus searches; nothing is held in memory

    def write(self, indexed: IndexedArticle, article_id: str) -> ArticleEntry:
        entry = self.store.write_article(indexed, article_id, with_vectors=False)
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
        try:
            before = {entry.id: entry.sha256 for entry in self.store.read().articles}
        except IndexUnavailable:
            before = {}
        catalogue = self.store.commit(key, entries, None, self.rows.dimension)
        now = {entry.id: entry.sha256 for entry in entries}
        changed = [name for name in {**before, **now} if before.get(name) != now.get(name)]
        self.rows.delete(changed, keep=[now[name] for name in changed if name in now])
        return Snapshot(catalogue, None, self.store.signature())

    def nearest(self, snapshot: Snapshot, query: np.ndarray, rows: int) -> list[ArticleEntry]:
        catalogue = snapshot.catalogue
        found: dict[str, ArticleEntry] = {}
        for article_id, sha256, _ in self.rows.search(query, rows):
            entry = catalogue.find(article_id)
            if entry is not None and entry.sha256 == sha256:  # else a killed writer's row
                found.setdefault(article_id, entry)
        return list(found.values())


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
    return Corpus(store, embedder, progress, on_wait, MilvusStore(store, MilvusRows(address)))
