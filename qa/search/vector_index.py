"""Nearest-neighbour search over passage vectors: the only module that imports faiss.

Vectors are unit length, so inner product is cosine similarity. The index type follows
the size: exact `IndexFlatIP` up to `EXACT_UP_TO` rows (microseconds for one article,
about 5 ms a question at 100k rows on 2 cores), HNSW beyond, whose recall against exact
search is measured by `bench/run.py` and `tests/test_vector_index.py`, not assumed.
Files are read and written by path, so a large index is never held twice in memory;
the caller checksums a file before FAISS parses it, because FAISS trusts its input.

Rows are only ever appended (`add`); deleting rows means building anew (`build_from`),
because HNSW cannot delete. An exact index that outgrows `EXACT_UP_TO` is rebuilt as HNSW.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np

EXACT_UP_TO = 50_000
HNSW_LINKS = 32  # neighbours per node: memory against recall
HNSW_BUILD_BREADTH = 80
# At 1M rows, 128 gave recall@10 0.949 at 1.1 ms a query; 256 buys recall for latency.
HNSW_SEARCH_BREADTH = 256


@dataclass(frozen=True)
class Neighbours:
    """Row ids, best first, and their inner products with the query."""

    ids: np.ndarray
    scores: np.ndarray


class VectorIndex:
    """An inner-product index over float32 vectors: exact or HNSW, by size."""

    def __init__(self, index: faiss.Index) -> None:
        self._index = index

    @classmethod
    def build(cls, vectors: np.ndarray, exact_up_to: int = EXACT_UP_TO) -> VectorIndex:
        if vectors.ndim != 2 or vectors.shape[0] == 0:
            raise ValueError(f"vectors must be a non-empty 2-D array. Currently, {vectors.shape}")
        return cls.build_from([vectors], vectors.shape[0], vectors.shape[1], exact_up_to)

    @classmethod
    def build_from(
        cls,
        chunks: Iterable[np.ndarray],
        rows: int,
        dimension: int,
        exact_up_to: int = EXACT_UP_TO,
    ) -> VectorIndex:
        """An index of `rows` vectors given chunk by chunk, so they are never all in memory."""
        index: faiss.Index
        if rows <= exact_up_to:
            index = faiss.IndexFlatIP(dimension)
        else:
            graph = faiss.IndexHNSWFlat(dimension, HNSW_LINKS, faiss.METRIC_INNER_PRODUCT)
            graph.hnsw.efConstruction = HNSW_BUILD_BREADTH
            index = graph
        for chunk in chunks:
            index.add(np.ascontiguousarray(chunk, dtype=np.float32))
        if index.ntotal != rows:
            raise ValueError(f"expected {rows} rows. Currently, {index.ntotal}")
        return cls._tuned(index)

    def add(self, vectors: np.ndarray, exact_up_to: int = EXACT_UP_TO) -> VectorIndex:
        """Append rows; returns the index to use from now on, a new HNSW one when the
        exact index outgrows `exact_up_to` (this one is then left unchanged)."""
        if self.kind == "exact" and self.size + len(vectors) > exact_up_to:
            old = np.asarray(self._index.reconstruct_n(0, self.size))
            return VectorIndex.build_from(
                [old, vectors], self.size + len(vectors), self.dimension, exact_up_to
            )
        self._index.add(np.ascontiguousarray(vectors, dtype=np.float32))
        return self

    @classmethod
    def read(cls, path: Path) -> VectorIndex:
        return cls._tuned(faiss.read_index(str(path)))

    def write(self, path: Path) -> None:
        faiss.write_index(self._index, str(path))

    @classmethod
    def _tuned(cls, index: faiss.Index) -> VectorIndex:
        if isinstance(index, faiss.IndexHNSW):
            index.hnsw.efSearch = HNSW_SEARCH_BREADTH
        return cls(index)

    @property
    def kind(self) -> str:
        return "hnsw" if isinstance(self._index, faiss.IndexHNSW) else "exact"

    @property
    def size(self) -> int:
        return int(self._index.ntotal)

    @property
    def dimension(self) -> int:
        return int(self._index.d)

    def mean(self, start: int, stop: int) -> np.ndarray:
        """The mean of rows `[start, stop)`: the centroid a hubness correction needs."""
        return np.asarray(self._index.reconstruct_n(start, stop - start)).mean(axis=0)

    def search(self, query: np.ndarray, k: int) -> Neighbours:
        """The `k` nearest rows to one query vector (fewer if the index is smaller)."""
        if k <= 0:
            raise ValueError(f"k must be greater than 0. Currently, k is {k}")
        k = min(k, self.size)
        scores, ids = self._index.search(query.reshape(1, -1).astype(np.float32), k)
        keep = ids[0] >= 0
        return Neighbours(ids=ids[0][keep], scores=scores[0][keep])
