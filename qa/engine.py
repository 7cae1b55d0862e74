"""The question-answering engine: one article, its index, and `ask`.

`Engine.open` reads the article, loads the index from disk when it is fresh, and
otherwise rebuilds and saves it, saying why in one log line. `ask` validates the
question, resolves follow-ups against the history, corrects spelling, retrieves,
decides whether the article answers, and composes the grounded answer.

Abstention is decided by three rules: the question names something the article never
mentions; the thing it asks about ("how many refugees") is nowhere in the best sentence
(see `focus`); or the best sentence's fused score is below `FOUND_THRESHOLD`, which was
calibrated on the evaluation set (see README).

Left out: more than one article at a time.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path

from qa import index_store, passages
from qa.compose import compose
from qa.embedding import DEFAULT_MODEL, Embedder, SentenceTransformerEmbedder
from qa.focus import FocusCheck, focus_of
from qa.followup import parse_history, rewrite
from qa.index_store import BuildKey, IndexUnavailable, StoredIndex
from qa.question import InvalidQuestion, analyse, clean
from qa.records import Answer, Article
from qa.retrieve import Retriever
from qa.segment import SEGMENTER, split_sentences
from qa.speakers import ATTRIBUTION_VERSION, attribute, find_people
from qa.spelling import article_vocabulary, correct
from qa.vector_index import VectorIndex

log = logging.getLogger("qa")

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ARTICLE = PROJECT_ROOT / "seeds" / "000_fa83349e7fd05c60.txt"
DEFAULT_INDEX_DIR = PROJECT_ROOT / "index"
FOUND_THRESHOLD = 0.20
MAX_CITATIONS = 3


@dataclass(frozen=True)
class Settings:
    """Where the article and index live and which model embeds them."""

    article_path: Path = DEFAULT_ARTICLE
    index_dir: Path = DEFAULT_INDEX_DIR
    model: str = DEFAULT_MODEL

    @classmethod
    def from_env(cls) -> Settings:
        """Settings from `QA_ARTICLE`, `QA_INDEX_DIR` and `QA_MODEL`, defaults otherwise."""
        return cls(
            article_path=Path(os.environ.get("QA_ARTICLE", DEFAULT_ARTICLE)),
            index_dir=Path(os.environ.get("QA_INDEX_DIR", DEFAULT_INDEX_DIR)),
            model=os.environ.get("QA_MODEL", DEFAULT_MODEL),
        )


@dataclass(frozen=True)
class IndexReport:
    """What opening the engine did to the index, for `qa index` and the start-up log."""

    action: str  # "loaded" or "rebuilt"
    reason: str
    sentences: int
    seconds: float

    def describe(self, directory: Path) -> str:
        if self.action == "loaded":
            return f"index: up to date in {directory} ({self.sentences} sentences)"
        return (
            f"index: rebuilt in {directory} because {self.reason} "
            f"({self.sentences} sentences in {self.seconds:.2f} s)"
        )


def read_article(path: Path) -> Article:
    """Read an article as UTF-8; its text is kept exactly, for offsets to slice."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise FileNotFoundError(f"cannot read the article {path}: {error.strerror}") from error
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ValueError(f"the article {path} is not UTF-8 text") from error
    if not text.strip():
        raise ValueError(f"the article {path} is empty")
    return Article(id=path.stem, path=str(path), text=text, sha256=hashlib.sha256(raw).hexdigest())


class Engine:
    """Answers questions about one article."""

    def __init__(self, article: Article, stored: StoredIndex, embedder: Embedder) -> None:
        self.article = article
        self.stored = stored
        self.embedder = embedder
        self.sentences = stored.sentences
        self.people = find_people(article.text)
        self._vocabulary = article_vocabulary(article.text)
        self._dictionary = embedder.vocabulary
        self._focus = FocusCheck(article.text, embedder)
        self._retriever = Retriever(
            self.sentences, stored.passages, stored.vectors, embedder, self.people
        )

    @classmethod
    def open(
        cls, settings: Settings, embedder: Embedder | None = None, rebuild: bool = False
    ) -> tuple[Engine, IndexReport]:
        """Load the article and its index, rebuilding the index when it is stale."""
        article = read_article(settings.article_path)
        embedder = embedder or SentenceTransformerEmbedder(settings.model)
        key = build_key(article, embedder)
        started = time.perf_counter()
        try:
            if rebuild:
                raise IndexUnavailable("a rebuild was asked for")
            stored = index_store.load(settings.index_dir, key)
            report = IndexReport("loaded", "", len(stored.sentences), 0.0)
        except IndexUnavailable as why:
            stored = build_index(article, embedder, key)
            report = IndexReport(
                "rebuilt", str(why), len(stored.sentences), time.perf_counter() - started
            )
            log.warning(report.describe(settings.index_dir))
            try:
                index_store.save(settings.index_dir, stored)
            except OSError as error:  # serve from memory; the next start tries again
                log.warning(f"index: could not be saved ({error.strerror or error})")
        return cls(article, stored, embedder), report

    def ask(self, question: str, history: object = None) -> Answer:
        """Answer `question` from the article; raises InvalidQuestion for unaskable input."""
        text = clean(question)
        resolved = rewrite(text, parse_history(history), self.people)
        corrected = correct(resolved.question, self._vocabulary, self._dictionary)
        analysed = analyse(corrected, self.people, self._vocabulary)
        hits = self._retriever.search(analysed, k=MAX_CITATIONS + 2)
        focus = focus_of(analysed.text)
        best = hits[0].sentence.text
        missing = focus if focus and not self._focus.covered(focus, best) else None
        found = not analysed.unknown_names and not missing and hits[0].score >= FOUND_THRESHOLD
        shown = resolved.question if resolved.person else None
        return compose(
            analysed, shown, hits, found, self.article, self.sentences, MAX_CITATIONS, missing
        )


def build_key(article: Article, embedder: Embedder) -> BuildKey:
    """What an index of `article` by `embedder` must have been built from to be fresh."""
    return BuildKey(
        model_id=embedder.model_id,
        article_sha256=article.sha256,
        segmenter=f"{SEGMENTER}; speakers {ATTRIBUTION_VERSION}",
        passage_format=passages.FORMAT,
    )


def build_index(article: Article, embedder: Embedder, key: BuildKey) -> StoredIndex:
    """Segment, attribute and embed the article."""
    sentences = attribute(article.text, split_sentences(article.text))
    rows = passages.layout(sentences)
    vectors = VectorIndex.build(embedder.encode_passages(rows.texts))
    return StoredIndex(key, sentences, vectors, rows)


__all__ = ["Engine", "IndexReport", "InvalidQuestion", "Settings", "read_article"]
