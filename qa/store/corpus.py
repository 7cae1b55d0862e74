"""Changes to the collection of articles: open it (repairing what is broken), add, remove.

Adding embeds only the new article: its files are written beside the others and its
vectors handed to the corpus's `VectorStore` (see `seam`). An article whose text is
already in the corpus (same sha256) is left alone; a file added again from the same path,
or a page from the same canonical address, with new content replaces its old version
under the same id. Replacing or removing an article embeds nothing: the vector store
rebuilds from stored vectors (FAISS) or deletes the article's rows (Milvus). A page's
byline travels with its article through every copy and repair.

Articles are committed in batches of `COMMIT_EVERY`, so adding a large folder holds one
batch of vectors in memory besides the search index, and a crash loses one batch at most.

Opening a corpus whose manifest is missing, stale or damaged takes one repair path:
every article is taken from its stored text (or, with the manifest lost, from the text
files left in the folder; with none, from the default article), articles whose files
still verify under the current `BuildKey` are kept, the others are embedded again, and
the search index is rebuilt. A changed model or segmenter therefore means one full
rebuild, announced in one log line.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Literal, TypeVar

import numpy as np
from tqdm import tqdm

from qa.articles.sources import MAX_ARTICLE_CHARS, PASTED, RECOVERED, from_text, read_file
from qa.errors import IndexUnavailable, UnknownArticle
from qa.records import AnnotatedArticle, Article, Change, ChangeAction, OpenReport
from qa.search.embedding import Embedder
from qa.search.indexing import IndexedArticle, build_key, index_article, index_articles
from qa.search.vector_index import VectorIndex
from qa.store.faiss_store import FaissStore
from qa.store.files import ArticleEntry, Catalogue, CorpusStore
from qa.store.seam import Snapshot, VectorStore

log = logging.getLogger("qa")
T = TypeVar("T")

COMMIT_EVERY = 256
# Articles are indexed together up to as much text as one article may hold: short ones
# then fill the encoder's batches of like-length rows (236 SQuAD paragraphs: 29.4 CPU
# seconds of encoding together against 30.4-33.6 one by one) and the parser's.
INDEX_TOGETHER = MAX_ARTICLE_CHARS


class Corpus:
    """The writer of one corpus folder; every change holds the store's lock."""

    def __init__(
        self,
        store: CorpusStore,
        embedder: Embedder,
        progress: bool = False,
        on_wait: Callable[[], None] | None = None,
        vectors: VectorStore | None = None,
    ) -> None:
        self.store = store
        self.vectors = vectors or FaissStore(store)
        self.key = build_key(embedder)
        self._embedder = embedder
        self._progress = progress
        self._on_wait = on_wait

    def open(self, default_article: Path, rebuild: bool = False) -> tuple[Snapshot, OpenReport]:
        """The corpus as stored if it is whole and fresh; otherwise repaired, then saved."""
        started = time.perf_counter()
        reason = "a rebuild was asked for"
        first_build = self.store.signature() is None
        if not rebuild:
            try:
                return self._loaded(started)
            except IndexUnavailable as why:
                reason = str(why)
        with self.store.writing(self._on_wait):
            if not rebuild:
                try:  # another writer may have repaired it while this one waited
                    return self._loaded(started)
                except IndexUnavailable:
                    pass
            snapshot = self._repair(default_article, rebuild)
        report = self._report("built" if first_build else "rebuilt", reason, snapshot, started)
        log.warning(report.describe(str(self.store.directory)))
        return snapshot, report

    def _loaded(self, started: float) -> tuple[Snapshot, OpenReport]:
        snapshot = self.load()
        return snapshot, self._report("loaded", "", snapshot, started)

    def load(self) -> Snapshot:
        """The stored corpus, or IndexUnavailable if it is stale or damaged."""
        signature = self.store.signature()
        catalogue = self.store.read()
        for field, wanted in vars(self.key).items():
            was = getattr(catalogue.key, field)
            if was != wanted:
                raise IndexUnavailable(f"{field} changed ({was[:24]!r} -> {wanted[:24]!r})")
        return Snapshot(catalogue, self.vectors.load_search(catalogue), signature)

    def load_article(self, catalogue: Catalogue, entry: ArticleEntry) -> IndexedArticle:
        """One article with its sentences and vectors, verified; IndexUnavailable if not."""
        return self.vectors.article(catalogue, entry)

    def annotated(self, catalogue: Catalogue, entry: ArticleEntry) -> AnnotatedArticle:
        """One article's text and sentences, verified, without its vectors."""
        text = self.store.load_text(entry)
        sentences = self.store.load_reading(entry).sentences
        return AnnotatedArticle(entry.article(text), tuple(sentences))

    def nearest(self, snapshot: Snapshot, query: np.ndarray, rows: int) -> list[ArticleEntry]:
        """The articles owning the `rows` sentence rows nearest `query`, best first."""
        return self.vectors.nearest(snapshot, query, rows)

    def add(
        self,
        articles: Iterable[Article],
        total: int | None = None,
        index: Callable[[list[Article]], list[IndexedArticle]] | None = None,
    ) -> list[Change]:
        """Index each new article (by `index`, embedding by default); report what happened
        to every one, in order. Articles are indexed in groups (see `INDEX_TOGETHER`), so
        that short ones fill the encoder's batches instead of each running its own few."""
        index = index or self._indexed_together
        with self.store.writing(self._on_wait):
            snapshot = self._writable()
            entries = list(snapshot.catalogue.articles)
            # Lookups by hash, source and id, so that adding n articles costs O(n), not O(n²).
            by_hash = {entry.sha256: entry for entry in entries}
            by_source = {entry.source: position for position, entry in enumerate(entries)}
            taken = {entry.id for entry in entries}
            search = snapshot.search
            changes: list[Change] = []
            rows_stale = False  # a replaced article's rows sit mid-index: rebuild at commit
            batch = 0
            for group in _groups(self._shown(articles, total, "adding"), INDEX_TOGETHER):
                indexed_by_hash = _indexed_new(group, by_hash, index)
                for article in group:
                    if article.sha256 in by_hash:
                        changes.append(_change("unchanged", by_hash[article.sha256]))
                        continue
                    # Indexed with its group, unless its stored twin was replaced since.
                    indexed = indexed_by_hash.pop(article.sha256, None) or index([article])[0]
                    position = by_source.get(article.source) if _has_path(article) else None
                    old = entries[position] if position is not None else None
                    entry = self.vectors.write(
                        indexed, old.id if old else _free_id(article.id, taken)
                    )
                    by_hash[entry.sha256] = entry
                    taken.add(entry.id)
                    if old is not None:
                        del by_hash[old.sha256]  # the old version may come back as an addition
                    if position is not None:
                        entries[position] = entry
                        rows_stale = True
                    else:
                        by_source[entry.source] = len(entries)
                        entries.append(entry)
                        search = self.vectors.staged(search, indexed)
                    changes.append(_change("replaced" if old else "added", entry))
                    batch += 1
                    if batch == COMMIT_EVERY:
                        committed = self._commit(entries, search, rows_stale)
                        entries, search = list(committed.catalogue.articles), committed.search
                        rows_stale, batch = False, 0
            if batch:
                self._commit(entries, search, rows_stale)
        return changes

    def copy_from(self, source: Corpus) -> list[Change]:
        """Add every article of `source` with its stored vectors, embedding none; raises
        IndexUnavailable if `source` is stale or damaged (`qa index` mends it first)."""
        catalogue = source.load().catalogue
        entries = {entry.id: entry for entry in catalogue.articles}

        def stored(articles: list[Article]) -> list[IndexedArticle]:
            return [source.load_article(catalogue, entries[a.id]) for a in articles]

        articles = (e.article(source.store.load_text(e)) for e in catalogue.articles)
        return self.add(articles, len(catalogue.articles), stored)

    def remove(self, article_ids: list[str]) -> list[Change]:
        """Drop articles and their vectors; raises UnknownArticle for an id not listed."""
        with self.store.writing(self._on_wait):
            catalogue = self._writable().catalogue
            gone = []
            for article_id in article_ids:
                entry = catalogue.find(article_id)
                if entry is None:
                    raise UnknownArticle.named(article_id)
                gone.append(entry)
            kept = [entry for entry in catalogue.articles if entry not in gone]
            self._commit(kept, None, rows_stale=True)
        return [_change("removed", entry) for entry in gone]

    def listed(self) -> int:
        """How many articles the stored manifest lists; 0 when there is none."""
        try:
            return len(self.store.read().articles)
        except IndexUnavailable:
            return 0

    def close(self) -> None:
        """Let go of the vector store's connections."""
        self.vectors.close()

    def repair(self) -> Snapshot:
        """Verify every article's files, embed again those that fail, rebuild the search."""
        with self.store.writing(self._on_wait):
            return self._repair(None, rebuild=False)

    def _indexed(self, article: Article) -> IndexedArticle:
        return index_article(article, self._embedder)

    def _indexed_together(self, articles: list[Article]) -> list[IndexedArticle]:
        return index_articles(articles, self._embedder)

    def _shown(self, items: Iterable[T], total: int | None, label: str) -> Iterable[T]:
        """`items`, with a progress bar when asked for. Without one, tqdm is not touched at
        all: even disabled, it takes a lock shared across processes, and a writer killed
        while holding it would leave every later writer waiting forever."""
        if not self._progress:
            return items
        return tqdm(items, total=total, desc=label, unit="article")

    def _writable(self) -> Snapshot:
        """The corpus to change, read afresh under the lock (and repaired if it must be)."""
        try:
            return self.load()
        except IndexUnavailable as why:
            log.warning(f"index: repairing {self.store.directory} first because {why}")
            return self._repair(None, rebuild=False)

    def _commit(
        self,
        entries: list[ArticleEntry],
        search: VectorIndex | None,
        rows_stale: bool,
    ) -> Snapshot:
        """Publish `entries` (the vector store rebuilds or deletes what went stale)."""
        return self.vectors.publish(self.key, entries, search, rows_stale, self._reindexed)

    def _repair(self, default_article: Path | None, rebuild: bool) -> Snapshot:
        try:
            catalogue: Catalogue | None = self.store.read()
        except IndexUnavailable:
            catalogue = None
        entries: list[ArticleEntry] = []
        if catalogue is not None:
            fresh = catalogue.key == self.key and not rebuild
            for entry in self._shown(catalogue.articles, len(catalogue.articles), "indexing"):
                kept = self._verified(catalogue, entry) if fresh else self._reindexed(entry)
                entries += [kept] if kept else []
        else:
            entries = self._recovered()
            if not entries and default_article is not None:
                entries = [self._write(read_file(default_article), set())]
        return self._commit(entries, None, rows_stale=True)

    def _verified(self, catalogue: Catalogue, entry: ArticleEntry) -> ArticleEntry | None:
        try:
            self.load_article(catalogue, entry)
            return entry
        except IndexUnavailable:
            return self._reindexed(entry)

    def _reindexed(self, entry: ArticleEntry) -> ArticleEntry | None:
        """The article embedded again from its stored text; None if the text is lost."""
        try:
            text = self.store.load_text(entry)
        except IndexUnavailable as why:
            log.warning(f"index: dropped the article {entry.id} because {why}")
            return None
        return self.vectors.write(self._indexed(entry.article(text)), entry.id)

    def _recovered(self) -> list[ArticleEntry]:
        """Articles from the files a lost manifest leaves behind, those still whole."""
        entries: list[ArticleEntry] = []
        taken: set[str] = set()
        for found in self.store.recover_articles():
            article = from_text(found.text, source=found.source, title=found.title or None)
            recovered = replace(article, id=found.id or article.id, publication=found.publication)
            entries.append(self._write(recovered, taken))
        if entries:
            log.warning(f"index: recovered {len(entries)} articles from their stored files")
        return entries

    def _write(self, article: Article, taken: set[str]) -> ArticleEntry:
        """Index and store an article under a free id, which is then taken."""
        article_id = _free_id(article.id, taken)
        taken.add(article_id)
        return self.vectors.write(self._indexed(article), article_id)

    def _report(
        self,
        action: Literal["loaded", "built", "rebuilt"],
        reason: str,
        snapshot: Snapshot,
        started: float,
    ) -> OpenReport:
        catalogue = snapshot.catalogue
        seconds = time.perf_counter() - started
        return OpenReport(
            action, reason, len(catalogue.articles), catalogue.sentence_count, seconds
        )


def _change(action: ChangeAction, entry: ArticleEntry) -> Change:
    return Change(action, entry.summary())


def _indexed_new(
    group: list[Article],
    stored: dict[str, ArticleEntry],
    index: Callable[[list[Article]], list[IndexedArticle]],
) -> dict[str, IndexedArticle]:
    """The group's articles whose text is not `stored` (by sha256), indexed together; a
    text the group holds twice is indexed once, as its first article, which the rest follow."""
    new: dict[str, Article] = {}
    for article in group:
        if article.sha256 not in stored:
            new.setdefault(article.sha256, article)
    return dict(zip(new, index(list(new.values())), strict=True))


def _groups(articles: Iterable[Article], characters: int) -> Iterator[list[Article]]:
    """`articles` in order, in lists each closed by the article that brings it to
    `characters` of text (the last list may fall short of it)."""
    group: list[Article] = []
    held = 0
    for article in articles:
        group.append(article)
        held += len(article.text)
        if held >= characters:
            yield group
            group, held = [], 0
    if group:
        yield group


def _has_path(article: Article) -> bool:
    """Whether the article came from a file or a link, which a later version may replace."""
    return article.source not in (PASTED, RECOVERED)


def _free_id(wanted: str, taken: set[str]) -> str:
    """`wanted`, or `wanted-2`, `wanted-3`… whichever no article has yet."""
    candidate, number = wanted, 1
    while candidate in taken:
        number += 1
        candidate = f"{wanted}-{number}"
    return candidate
