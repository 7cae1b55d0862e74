"""The seam between a corpus and where its passage vectors live, and the choice of side.

A corpus is two things. Its articles (ids, titles, texts, sentences with speakers), the
manifest that publishes them atomically, and the writers' lock stay in one folder on
either side (`CorpusStore`, `QA_INDEX_DIR`): on several app servers that folder is a
mount they all read. Its passage vectors live in a `VectorStore`:

- `faiss_store` (the default): one vector file per article beside its text, and one
  FAISS index of every sentence row, published with the manifest and searched in memory;
- `milvus_store` (`QA_VECTOR_STORE=milvus://host:19530`): one row per passage in a Milvus
  collection, tagged with its corpus and build, partitioned by article id. Milvus owns
  its replication and consistency; nothing here coordinates servers beyond the folder's
  manifest and lock.

`Corpus` decides which articles to embed, name, replace and remove; a `VectorStore`
only stores, reads back, publishes and searches their vectors.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Protocol

import numpy as np

from qa.search.indexing import BuildKey, IndexedArticle
from qa.search.vector_index import VectorIndex
from qa.store.files import ArticleEntry, Catalogue


@dataclass(frozen=True)
class Snapshot:
    """A consistent view of the corpus: its catalogue and, for a store that keeps one in
    memory, the search index over it."""

    catalogue: Catalogue
    search: VectorIndex | None
    signature: tuple[int, int, int] | None  # of the manifest it was read from

    @cached_property
    def row_starts(self) -> np.ndarray:
        """The first search row of each article: rows are articles' sentences in order."""
        counts = [entry.sentences for entry in self.catalogue.articles]
        return np.cumsum([0, *counts[:-1]])


class VectorStore(Protocol):
    """Where a corpus keeps its passage vectors, and how its first pass searches them."""

    location: str  # where the vectors are, as a log line names it

    def load_search(self, catalogue: Catalogue) -> VectorIndex | None:
        """The in-memory search over the catalogue's articles, if this store keeps one;
        raises IndexUnavailable when the stored vectors cannot serve the catalogue."""
        ...

    def write(self, indexed: IndexedArticle, article_id: str) -> ArticleEntry:
        """Store an article's files and vectors; readers see them after `publish`."""
        ...

    def article(self, catalogue: Catalogue, entry: ArticleEntry) -> IndexedArticle:
        """One article with its sentences and every passage vector, verified."""
        ...

    def staged(self, search: VectorIndex | None, indexed: IndexedArticle) -> VectorIndex | None:
        """The in-memory search once `indexed` is added to it, for a store that keeps one."""
        ...

    def publish(
        self,
        key: BuildKey,
        entries: list[ArticleEntry],
        search: VectorIndex | None,
        rows_stale: bool,
        mend: Callable[[ArticleEntry], ArticleEntry | None],
    ) -> Snapshot:
        """Make `entries` the corpus. `rows_stale`: `search` no longer fits them (an article
        was replaced or removed). `mend` embeds an article again whose vectors are lost."""
        ...

    def nearest(self, snapshot: Snapshot, query: np.ndarray, rows: int) -> list[ArticleEntry]:
        """The articles owning the `rows` sentence rows nearest `query`, best first, once each."""
        ...

    def close(self) -> None:
        """Let go of any connection; the store is not used after this."""
        ...
