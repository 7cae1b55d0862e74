"""The index on disk: FAISS vectors, JSON sentences and a manifest that vouches for both.

The index is derived data. Its manifest records what it was built from (format version,
model id, article sha256, segmenter and attribution, passage format), the vectors'
dimension, the sha256 of each data file, and, for information, the library versions.
`load` refuses an index when what it was built from differs from what is asked for, or
when a file's checksum fails, *before* FAISS parses a byte: a truncated or bit-flipped
file becomes a rebuild, never a crash.

Data files are named by their content hash and never overwritten; the manifest, which
names them, is replaced last by an atomic rename, every file fsynced first. So at every
instant the manifest names a complete set: a crash or a full disk before the rename
leaves the old index whole, and after it the new one. Files no manifest names are
removed on the next save. Nothing is pickled.

Left out: incremental updates and locking between concurrent writers.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from importlib.metadata import version
from pathlib import Path

from qa.passages import Passages, layout
from qa.records import Sentence, Span
from qa.vector_index import VectorIndex

FORMAT_VERSION = 2
MANIFEST = "manifest.json"
DATA_FILES = ("vectors", "sentences")  # manifest keys naming the data files


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
    passages: Passages  # which row of `vectors` embeds what: derived from the sentences


def save(directory: Path, stored: StoredIndex) -> None:
    """Write the index into `directory`; readers see the old index or the new, never a mix."""
    directory.mkdir(parents=True, exist_ok=True)
    sentences = json.dumps([_sentence_to_json(s) for s in stored.sentences], indent=1).encode()
    written: list[Path] = []
    try:
        written.append(_write_temporary(directory, "vectors-new.faiss", stored.vectors.write))
        written.append(_write_temporary(directory, "sentences-new.json", _bytes_writer(sentences)))
        digests = [_sha256_file(path) for path in written]
        names = {
            "vectors": f"vectors-{digests[0][:16]}.faiss",
            "sentences": f"sentences-{digests[1][:16]}.json",
        }
        manifest = {
            "format_version": FORMAT_VERSION,
            **asdict(stored.key),
            "dimension": stored.vectors.dimension,
            "index_kind": stored.vectors.kind,
            **names,
            "files": dict(zip(names.values(), digests, strict=True)),
            "sentence_count": len(stored.sentences),
            "versions": {name: version(name) for name in ("faiss-cpu", "sentence-transformers")},
        }
        data = json.dumps(manifest, indent=1).encode()
        written.append(_write_temporary(directory, MANIFEST, _bytes_writer(data)))
        _publish(written[0], directory / names["vectors"])
        _publish(written[1], directory / names["sentences"])
        _publish(written[2], directory / MANIFEST)  # the one rename that switches indexes
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    _remove_unnamed(directory, keep={MANIFEST, *names.values()})


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
    paths = {key: _checked_path(directory, manifest, key) for key in DATA_FILES}
    try:
        sentences = [
            _sentence_from_json(item) for item in json.loads(paths["sentences"].read_bytes())
        ]
        vectors = VectorIndex.read(paths["vectors"])
    except (ValueError, KeyError, TypeError, AttributeError, RuntimeError) as error:
        raise IndexUnavailable(f"unreadable index data ({error})") from error
    if vectors.dimension != manifest.get("dimension") or not sentences:
        raise IndexUnavailable("vectors and manifest disagree")
    rows = layout(sentences)
    if vectors.size != len(rows.texts):
        raise IndexUnavailable("its vectors do not fit its sentences")
    return StoredIndex(expected, sentences, vectors, rows)


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


def _checked_path(directory: Path, manifest: dict, key: str) -> Path:
    """The data file the manifest names for `key`, once its checksum has been verified."""
    name, files = manifest.get(key), manifest.get("files")
    if (
        not isinstance(name, str)
        or "/" in name
        or name.startswith(".")
        or not isinstance(files, dict)
    ):
        raise IndexUnavailable(f"the manifest names no {key} file")
    path = directory / name
    try:
        digest = _sha256_file(path)
    except OSError as error:
        raise IndexUnavailable(f"cannot read {name} ({error.strerror})") from error
    # Files are named by their hash and never rewritten, so what was checked is what is read.
    if digest != files.get(name):
        raise IndexUnavailable(f"{name} does not match its checksum")
    return path


# What this module writes, and nothing else: other files in the folder are left alone.
OWN_FILES = re.compile(
    r"^(vectors-\w+\.faiss|sentences-\w+\.json|vectors\.faiss|sentences\.json"
    r"|\.(vectors-\w+\.faiss|sentences-\w+\.json|manifest\.json)\..+)$"
)


def _remove_unnamed(directory: Path, keep: set[str]) -> None:
    """Delete data files of older indexes and temporaries that killed writers left."""
    for path in directory.iterdir():
        if path.name not in keep and OWN_FILES.match(path.name) and path.is_file():
            path.unlink(missing_ok=True)


def _write_temporary(directory: Path, label: str, write: Callable[[Path], None]) -> Path:
    """Write through `write` into a new hidden file, flushed to disk; the caller renames it."""
    handle, name = tempfile.mkstemp(dir=directory, prefix=f".{label}.")
    os.close(handle)
    path = Path(name)
    try:
        write(path)
        with path.open("rb+") as file:
            os.fsync(file.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def _bytes_writer(data: bytes) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        path.write_bytes(data)

    return write


def _publish(temporary: Path, path: Path) -> None:
    os.replace(temporary, path)
    _fsync_directory(path.parent)  # so that the rename itself survives a power cut


def _fsync_directory(directory: Path) -> None:
    handle = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _sentence_to_json(sentence: Sentence) -> dict:
    item = asdict(sentence)
    item["speech"] = [sentence.speech.start, sentence.speech.end] if sentence.speech else None
    return item


def _sentence_from_json(item: dict) -> Sentence:
    speech = item.pop("speech")
    return Sentence(**item, speech=Span(*speech) if speech else None)
