"""Nearest-neighbour search over passage vectors: the only module that imports faiss.

Vectors are unit length, so inner product is cosine similarity. For one article an exact
`IndexFlatIP` costs microseconds per search, so nothing approximate is used here.
The index travels as bytes so that the caller can checksum it before FAISS parses it:
FAISS trusts its input, and a corrupt file must be caught before it gets there.

Left out: approximate indexes and incremental updates.
"""

from __future__ import annotations

from dataclasses import dataclass

import faiss
import numpy as np


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
    def build(cls, vectors: np.ndarray) -> VectorIndex:
        if vectors.ndim != 2 or vectors.shape[0] == 0:
            raise ValueError(f"vectors must be a non-empty 2-D array. Currently, {vectors.shape}")
        index = faiss.IndexFlatIP(vectors.shape[1])
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
        return cls(index)

    @classmethod
    def from_bytes(cls, data: bytes) -> VectorIndex:
        return cls(faiss.deserialize_index(np.frombuffer(data, dtype=np.uint8)))

    def to_bytes(self) -> bytes:
        return bytes(faiss.serialize_index(self._index))

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
