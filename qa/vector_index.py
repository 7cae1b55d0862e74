"""Nearest-neighbour search over passage vectors: the only module that imports faiss.

Vectors are unit length, so inner product is cosine similarity. The index type follows
the size: exact `IndexFlatIP` up to `EXACT_UP_TO` rows (microseconds for one article,
about 5 ms a question at 100k rows on 2 cores), HNSW beyond, whose recall against exact
search is measured by `bench/run.py` and `tests/test_vector_index.py`, not assumed.
Files are read and written by path, so a large index is never held twice in memory;
the caller checksums a file before FAISS parses it, because FAISS trusts its input.

Left out: incremental updates and deletions.
"""

from __future__ import annotations

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
    """An exact inner-product index over float32 vectors."""

    def __init__(self, index: faiss.Index) -> None:
        self._index = index

    @classmethod
    def build(cls, vectors: np.ndarray, exact_up_to: int = EXACT_UP_TO) -> VectorIndex:
        if vectors.ndim != 2 or vectors.shape[0] == 0:
            raise ValueError(f"vectors must be a non-empty 2-D array. Currently, {vectors.shape}")
        rows, dimension = vectors.shape
        index: faiss.Index
        if rows <= exact_up_to:
            index = faiss.IndexFlatIP(dimension)
        else:
            graph = faiss.IndexHNSWFlat(dimension, HNSW_LINKS, faiss.METRIC_INNER_PRODUCT)
            graph.hnsw.efConstruction = HNSW_BUILD_BREADTH
            index = graph
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
        return cls._tuned(index)

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
