"""The default vector store: files in the corpus folder, searched in memory by FAISS.

Each article's passage vectors are one file beside its text (`vectors-*.npy`), and one
index of every article's sentence rows, in manifest order, is published with the
manifest (`search-*.faiss`), so a reader that sees a manifest sees its index whole.
Rows are appended while articles are added; replacing or removing an article rebuilds
the index from the stored files, without embedding (HNSW cannot delete rows).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from qa.errors import IndexUnavailable
from qa.search.indexing import BuildKey, IndexedArticle
from qa.search.vector_index import VectorIndex
from qa.store.files import ArticleEntry, Catalogue, CorpusStore
from qa.store.seam import Snapshot


class FaissStore:
    """Vectors in the corpus folder; see the module's docstring."""

    def __init__(self, store: CorpusStore) -> None:
        self.store = store
        self.location = str(store.directory)

    def load_search(self, catalogue: Catalogue) -> VectorIndex | None:
        return self.store.load_search(catalogue)

    def write(self, indexed: IndexedArticle, article_id: str) -> ArticleEntry:
        return self.store.write_article(indexed, article_id)

    def article(self, catalogue: Catalogue, entry: ArticleEntry) -> IndexedArticle:
        return self.store.load_article(catalogue, entry)

    def staged(self, search: VectorIndex | None, indexed: IndexedArticle) -> VectorIndex:
        if search is None:
            return VectorIndex.build(indexed.sentence_vectors)
        return search.add(indexed.sentence_vectors)

    def publish(
        self,
        key: BuildKey,
        entries: list[ArticleEntry],
        search: VectorIndex | None,
        rows_stale: bool,
        mend: Callable[[ArticleEntry], ArticleEntry | None],
    ) -> Snapshot:
        if rows_stale or search is None:
            entries, search = self._search_over(entries, mend)
        catalogue = self.store.commit(key, entries, search)
        return Snapshot(catalogue, search, self.store.signature())

    def nearest(self, snapshot: Snapshot, query: np.ndarray, rows: int) -> list[ArticleEntry]:
        if snapshot.search is None:
            return []
        found = snapshot.search.search(query, rows)
        owners = np.searchsorted(snapshot.row_starts, found.ids, side="right") - 1
        entries = snapshot.catalogue.articles
        return [entries[i] for i in dict.fromkeys(int(owner) for owner in owners)]

    def close(self) -> None:
        pass  # files are opened per read; nothing stays open

    def _search_over(
        self, entries: list[ArticleEntry], mend: Callable[[ArticleEntry], ArticleEntry | None]
    ) -> tuple[list[ArticleEntry], VectorIndex | None]:
        """A new search index from stored vectors; an article whose vectors fail their
        checksum is embedded again from its text (or dropped if its text is lost too)."""
        usable, chunks = [], []
        for entry in entries:
            try:
                chunks.append(self.store.sentence_vectors(entry))
                usable.append(entry)
            except IndexUnavailable:
                if (mended := mend(entry)) is not None:
                    usable.append(mended)
                    chunks.append(self.store.sentence_vectors(mended))
        if not usable:
            return [], None
        rows = sum(entry.sentences for entry in usable)
        return usable, VectorIndex.build_from(chunks, rows, chunks[0].shape[1])
