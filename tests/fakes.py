"""A small deterministic embedder for fast tests of the plumbing.

Each word adds one to a coordinate chosen by a hash of the word, and the vector is
scaled to unit length: texts sharing words are similar, and every run gives the same
numbers. It knows no English, so spelling correction sees every word as unknown.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np

DIMENSION = 64


class FakeEmbedder:
    model_id = "fake-bag-of-words"
    dimension = DIMENSION
    vocabulary: frozenset[str] = frozenset()

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return np.stack([_vector(text) for text in texts])

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        return np.stack([_vector(text) for text in texts])


class CountingEmbedder(FakeEmbedder):
    """Counts the passages and the queries it embeds."""

    def __init__(self) -> None:
        self.passages = 0
        self.queries = 0

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        self.queries += len(texts)
        return super().encode_queries(texts)

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        self.passages += len(texts)
        return super().encode_passages(texts)


def _vector(text: str) -> np.ndarray:
    vector = np.zeros(DIMENSION, dtype=np.float32)
    for word in re.findall(r"\w+", text.lower()):
        vector[int(hashlib.sha256(word.encode()).hexdigest(), 16) % DIMENSION] += 1.0
    norm = float(np.linalg.norm(vector))
    if norm == 0:
        vector[0] = 1.0
        return vector
    return vector / norm
