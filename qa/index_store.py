"""The index on disk: FAISS vectors, JSON sentences and a manifest that vouches for both.

The index is derived data. Its manifest records what it was built from (format version,
model id, dimension, article sha256, segmenter, passage format, library versions) and
the sha256 of each data file. `load` refuses an index when any of these disagree with
what is asked for, or when a file's checksum fails, *before* FAISS parses a byte: a
truncated or bit-flipped file becomes a rebuild, never a crash.

Writes are atomic per file (temporary file, fsync, rename) and the manifest goes last,
so a crash mid-write leaves files whose checksums do not match the manifest, which
`load` treats as stale. Nothing is pickled.

Left out: incremental updates and locking between concurrent writers.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from importlib.metadata import version
from pathlib import Path

from qa.records import Sentence, Span
from qa.vector_index import VectorIndex

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
VECTORS = "vectors.faiss"
SENTENCES = "sentences.json"


class IndexUnavailable(Exception):
    """The index on disk cannot be used as it is; the message says why, for one log line."""


@dataclass(frozen=True)
class BuildKey:
    """Everything that, if changed, makes a stored index stale."""

    model_id: str
    article_sha256: str
    segmenter: str
    passage_format: str


@dataclass(frozen=True)
class StoredIndex:
    key: BuildKey
    sentences: list[Sentence]
    vectors: VectorIndex


def save(directory: Path, stored: StoredIndex) -> None:
    """Write the index into `directory`, each file atomically, the manifest last."""
    directory.mkdir(parents=True, exist_ok=True)
    vectors = stored.vectors.to_bytes()
    sentences = json.dumps([_sentence_to_json(s) for s in stored.sentences], indent=1).encode()
    _write_atomic(directory / VECTORS, vectors)
    _write_atomic(directory / SENTENCES, sentences)
    manifest = {
        "format_version": FORMAT_VERSION,
        **asdict(stored.key),
        "dimension": stored.vectors.dimension,
        "files": {VECTORS: _sha256(vectors), SENTENCES: _sha256(sentences)},
        "sentence_count": len(stored.sentences),
        "versions": {name: version(name) for name in ("faiss-cpu", "sentence-transformers")},
    }
    _write_atomic(directory / MANIFEST, json.dumps(manifest, indent=1).encode())


def load(directory: Path, expected: BuildKey) -> StoredIndex:
    """Load the index in `directory` if it was built from exactly `expected`."""
    manifest = _read_manifest(directory)
    if manifest.get("format_version") != FORMAT_VERSION:
        raise IndexUnavailable(
            f"format version {manifest.get('format_version')} is not {FORMAT_VERSION}"
        )
    for field, wanted in asdict(expected).items():
        if manifest.get(field) != wanted:
            was = str(manifest.get(field))[:24]
            raise IndexUnavailable(f"{field} changed ({was!r} -> {str(wanted)[:24]!r})")
    data = {name: _read_checked(directory, name, manifest) for name in (VECTORS, SENTENCES)}
    try:
        sentences = [_sentence_from_json(item) for item in json.loads(data[SENTENCES])]
        vectors = VectorIndex.from_bytes(data[VECTORS])
    except (ValueError, KeyError, TypeError, RuntimeError) as error:
        raise IndexUnavailable(f"unreadable index data ({error})") from error
    if vectors.dimension != manifest.get("dimension") or not sentences:
        raise IndexUnavailable("vectors and manifest disagree")
    return StoredIndex(expected, sentences, vectors)


def _read_manifest(directory: Path) -> dict:
    path = directory / MANIFEST
    if not path.exists():
        raise IndexUnavailable("there was none")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise IndexUnavailable(f"unreadable manifest ({error})") from error
    if not isinstance(manifest, dict):
        raise IndexUnavailable("unreadable manifest (not an object)")
    return manifest


def _read_checked(directory: Path, name: str, manifest: dict) -> bytes:
    try:
        data = (directory / name).read_bytes()
    except OSError as error:
        raise IndexUnavailable(f"cannot read {name} ({error.strerror})") from error
    if _sha256(data) != manifest.get("files", {}).get(name):
        raise IndexUnavailable(f"{name} does not match its checksum")
    return data


def _write_atomic(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _sentence_to_json(sentence: Sentence) -> dict:
    item = asdict(sentence)
    item["speech"] = [sentence.speech.start, sentence.speech.end] if sentence.speech else None
    return item


def _sentence_from_json(item: dict) -> Sentence:
    speech = item.pop("speech")
    return Sentence(**item, speech=Span(*speech) if speech else None)
