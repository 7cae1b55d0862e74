"""The front door: the question-answering engine over a corpus of articles.

The interfaces (`ui/`, the CLI, `bench/`) use the package through this module, with
`qa.records`, `qa.errors` and `qa.config`: asking, listing, reading, adding and removing
articles all go through `Engine`, which takes and returns typed records only.

`Engine.open` opens the corpus in the index folder (see `corpus`): loaded when whole and
fresh, repaired otherwise, and, in a new folder, started with the default article.

Articles come in from files, pasted text, or links (`add_link`, `add_links`): only the
CLI and the editor's page call those, and the engine fetches nothing else, ever; a
page is fetched within `Config`'s fence (`articles.fence`, `articles.fetch`).

`ask` answers from one chosen article, or from all of them in two passes:
- the first searches the sentence vectors of every article at once (in memory by FAISS,
  exact or HNSW by size, or in a Milvus collection; see `store.seam`) and keeps the
  articles that own the best rows, `ARTICLES_ANSWERING` at most; with that many
  articles or fewer, all of them answer;
- each of those answers as if it were alone (`answerer`), with its own speakers,
  vocabulary and abstention rules, and `merge` picks the best answer by what compares
  across articles: found before not found, then the dense cosine of its best sentence
  plus keywords scored over the answering articles together. Its best citation comes
  first; the other citations of the answers that agree on found or not follow by score,
  up to `MAX_CITATIONS`, each naming its article.

An article's answerer is built on first use and kept for the `ARTICLES_KEPT` most recent
ones. Before each question the engine checks whether a new manifest was published (by
`qa add` while the server runs, say) and, if so, reloads the corpus.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

from qa.answer.answerer import MAX_CITATIONS, ArticleAnswerer, Asking
from qa.answer.reading.expected import Nouns
from qa.answer.reading.question import MAX_QUESTION_CHARS, clean
from qa.answer.writing.merge import merged
from qa.articles.fetch import Rules, fetch
from qa.articles.sources import (
    MAX_ARTICLE_CHARS,
    collect,
    from_page,
    from_text,
    read_file,
    slug,
)
from qa.config import Config
from qa.errors import IndexBusy, IndexUnavailable, UnknownArticle, UnusableArticle, UserError
from qa.records import (
    AddReport,
    AnnotatedArticle,
    Answer,
    Article,
    ArticleSummary,
    Change,
    OpenReport,
    Turn,
    is_link,
)
from qa.search.embedding import Embedder, WordVectors, make_embedder
from qa.search.indexing import IndexedArticle
from qa.store.choice import open_corpus
from qa.store.corpus import Corpus, Snapshot
from qa.store.files import ArticleEntry, Catalogue

log = logging.getLogger("qa")

ARTICLES_ANSWERING = 4
# Turns of a conversation read for a follow-up: enough for "and before that?", and a
# bound on the work a very long history could cause; and characters, of a turn (an
# answer quoting three long sentences is under 2,000) and of them all, whatever a caller
# sends: reading a follow-up costs work in proportion to them.
HISTORY_KEPT = 12
TURN_CHARS = 2_000
HISTORY_CHARS = 12_000
CANDIDATE_ROWS = 64  # first-pass rows whose articles may answer
ARTICLES_KEPT = 32
NO_ARTICLES = "There are no articles yet. Add one, then ask about it."
REPAIRING = "The index is being repaired; please try again in a few seconds."
T = TypeVar("T")


class Engine:
    """Answers questions about the articles of one corpus."""

    def __init__(
        self,
        corpus: Corpus,
        snapshot: Snapshot,
        embedder: Embedder,
        seed_id: str = "",
        fetching: Rules | None = None,
    ) -> None:
        self.embedder = embedder
        self.words = WordVectors(embedder)  # single words' vectors, kept across questions
        self.seed_id = seed_id  # the id of the article a new corpus starts with
        self.fetching = fetching or Rules()  # what fetching a link may do
        self._corpus = corpus
        self._store = corpus.store
        self._snapshot = snapshot
        self._answerers: OrderedDict[tuple[str, str], ArticleAnswerer] = OrderedDict()
        self._building: dict[tuple[str, str], Future[ArticleAnswerer]] = {}
        self._lock = threading.Lock()  # reloading the snapshot
        self._cache_lock = threading.Lock()  # the answerers, their builds, the repair
        self._repairing: threading.Thread | None = None
        self.repairs = 0  # repairs started from here since the engine opened
        self._nouns: Nouns | None = None  # the answer-type nouns' vectors, made on first use

    @classmethod
    def open(
        cls,
        config: Config,
        embedder: Embedder | None = None,
        rebuild: bool = False,
        progress: bool = False,
        on_wait: Callable[[], None] | None = None,
    ) -> tuple[Engine, OpenReport]:
        """Open the corpus, repairing or rebuilding its index when it must.

        `progress` shows progress bars while embedding; `on_wait` is called if another
        process is writing the index and this one has to wait for it.
        """
        embedder = embedder or make_embedder(config.model, config.encoder, config.threads)
        corpus = open_corpus(config, embedder, progress, on_wait)
        snapshot, report = corpus.open(config.article_path, rebuild)
        seed_id = slug(config.article_path.stem)
        return cls(corpus, snapshot, embedder, seed_id, Rules.from_config(config)), report

    @property
    def index_dir(self) -> Path:
        return self._store.directory

    @property
    def articles(self) -> tuple[ArticleSummary, ...]:
        """Every article, in the order they were added."""
        self.refresh()
        return tuple(entry.summary() for entry in self._snapshot.catalogue.articles)

    def article(self, article_id: str) -> AnnotatedArticle:
        """An article with its sentences and speakers, as stored: no answerer is built for
        it, so listing articles costs a file read; raises UnknownArticle."""
        entry = self._entry(article_id)
        with self._cache_lock:
            cached = self._answerers.get((entry.id, entry.sha256))
        if cached is not None:
            return AnnotatedArticle(cached.indexed.article, tuple(cached.indexed.sentences))
        return self._loaded(entry, self._corpus.annotated)

    def indexed(self, article_id: str) -> IndexedArticle:
        """An article with its sentences and vectors, for evaluation; raises UnknownArticle."""
        return self._answerer(self._entry(article_id)).indexed

    def ask(
        self, question: str, history: Sequence[Turn] = (), article: str | None = None
    ) -> Answer:
        """Answer from `article` (an id), or from all articles.

        Raises InvalidQuestion for a question that cannot be asked and UnknownArticle for
        an id that names no article.
        """
        text = clean(question)
        self.refresh()
        snapshot = self._snapshot
        chosen = self._entry(article) if article else None
        if not snapshot.catalogue.articles:
            return Answer(NO_ARTICLES, False, None, [])
        turns = bounded(history)
        asking = Asking(self.embedder, self.nouns)  # what the articles answering it share
        scope = [chosen] if chosen else self._candidates(snapshot, text, turns, asking.queries)
        searched = 1 if chosen else len(snapshot.catalogue.articles)
        replies = [self._answerer(e).answer(text, turns, asking, searched) for e in scope]
        return merged(replies, MAX_CITATIONS).answer

    def add(self, articles: Iterable[Article], total: int | None = None) -> list[Change]:
        """Index articles already read; see `add_files` and `add_text` for the usual ways in."""
        changes = self._corpus.add(articles, total)
        self.refresh()
        return changes

    def add_files(self, paths: Sequence[Path]) -> AddReport:
        """Add article files and folders of them; what cannot be read is skipped, with why."""
        files, skipped = collect(paths)

        def readable() -> Iterable[Article]:
            for path in files:
                try:
                    yield read_file(path)
                except UnusableArticle as error:
                    skipped.append(str(error))

        changes = self.add(readable(), total=len(files))
        return AddReport(changes, skipped)

    def add_file(self, path: Path) -> Change:
        """Add one article file; raises UnusableArticle with a one-line reason."""
        return self.add([read_file(path)])[0]

    def add_text(self, text: str, title: str | None = None) -> Change:
        """Add a pasted article; raises UnusableArticle with a one-line reason."""
        return self.add([from_text(text, title=title)])[0]

    def add_link(self, link: str) -> Change:
        """Fetch the page at `link` and add its story: replaced if its canonical address
        is here with other text, unchanged if with the same. Raises a UserError saying
        why (the fence, the fetch, or a page with no story), having added nothing."""
        return self.add([from_page(fetch(link, self.fetching))])[0]

    def add_links(self, links: Sequence[str]) -> AddReport:
        """Add the pages at `links`; each that cannot be fetched or read is skipped, with
        why. Every page is fetched before the corpus is locked for writing."""
        articles: list[Article] = []
        skipped: list[str] = []
        for link in links:
            try:
                articles.append(from_page(fetch(link, self.fetching)))
            except UserError as error:
                skipped.append(f"{link}: {error}")
        return AddReport(self.add(articles) if articles else [], skipped)

    def refetch_links(self) -> AddReport:
        """Fetch every article that came from a link again (`qa add --refresh`)."""
        return self.add_links([a.source for a in self.articles if is_link(a.source)])

    def remove(self, article_ids: list[str]) -> list[Change]:
        """Remove articles by id; raises UnknownArticle, removing none, if one is not there."""
        changes = self._corpus.remove(article_ids)
        self.refresh()
        return changes

    @property
    def nouns(self) -> Nouns:
        """The nouns that name kinds of answer, embedded once for the engine."""
        if self._nouns is None:
            self._nouns = Nouns(self.words)
        return self._nouns

    def answerer(self, article_id: str) -> ArticleAnswerer:
        """One article's answerer, for evaluation; raises UnknownArticle."""
        return self._answerer(self._entry(article_id))

    def refresh(self) -> None:
        """Reload the corpus if a new manifest was published since it was read."""
        if self._store.signature() == self._snapshot.signature:
            return
        with self._lock:
            if self._store.signature() == self._snapshot.signature:
                return
            try:
                self._snapshot = self._corpus.load()
            except IndexUnavailable as why:
                log.warning(f"index: kept the corpus in memory; the new one failed: {why}")

    def _entry(self, article_id: str) -> ArticleEntry:
        entry = self._snapshot.catalogue.find(article_id)
        if entry is None:
            raise UnknownArticle.named(article_id)
        return entry

    def _candidates(
        self, snapshot: Snapshot, text: str, turns: list[Turn], queries: Embedder
    ) -> list[ArticleEntry]:
        """The articles that own the rows nearest the question (and the one before it)."""
        entries = snapshot.catalogue.articles
        if len(entries) <= ARTICLES_ANSWERING:
            return list(entries)
        previous = next((t.content for t in reversed(turns) if t.role == "user"), "")
        query = queries.encode_queries([f"{previous} {text}".strip()])[0]
        nearest = self._corpus.nearest(snapshot, query, CANDIDATE_ROWS)[:ARTICLES_ANSWERING]
        # A store whose rows are all stale, or not yet written, names no article: ask the
        # first ones rather than none.
        return nearest or list(entries[:ARTICLES_ANSWERING])

    def _answerer(self, entry: ArticleEntry) -> ArticleAnswerer:
        """The article's answerer, built once: questions that want it while it is being
        built wait for that build rather than starting their own."""
        key = (entry.id, entry.sha256)
        with self._cache_lock:
            if key in self._answerers:
                self._answerers.move_to_end(key)
                return self._answerers[key]
            building = self._building.get(key)
            if building is None:
                building = self._building[key] = Future()
                builder = True
            else:
                builder = False
        if not builder:
            return building.result()
        try:
            indexed = self._loaded(entry, self._corpus.load_article)
            answerer = ArticleAnswerer(indexed, self.embedder, self.words)
        except BaseException as error:
            building.set_exception(error)
            raise
        finally:
            with self._cache_lock:
                del self._building[key]
        with self._cache_lock:
            self._answerers[key] = answerer
            while len(self._answerers) > ARTICLES_KEPT:
                self._answerers.popitem(last=False)
        building.set_result(answerer)
        return answerer

    def _loaded(self, entry: ArticleEntry, load: Callable[[Catalogue, ArticleEntry], T]) -> T:
        """`load` of the article's stored files. A reader that loses a race with a writer
        (its files replaced under it) reads the new manifest and tries again; files that
        still fail their checks are repaired in the background, by a writer under the
        lock, and this question is told to try again shortly: a question never repairs."""
        try:
            return load(self._snapshot.catalogue, entry)
        except IndexUnavailable:
            self.refresh()
        current = self._snapshot.catalogue.find(entry.id)
        if current is None:
            raise UnknownArticle.named(entry.id)
        try:
            return load(self._snapshot.catalogue, current)
        except IndexUnavailable as why:
            log.warning(f"index: the article {entry.id} needs repair because {why}")
            self._repair_in_background()
            raise IndexBusy(REPAIRING) from None

    def _repair_in_background(self) -> None:
        """Start one repair, unless one is running: a writer's job, under the lock."""
        with self._cache_lock:
            if self._repairing is not None and self._repairing.is_alive():
                return
            self.repairs += 1
            self._repairing = threading.Thread(target=self._repair, daemon=True)
            self._repairing.start()

    def _repair(self) -> None:
        try:
            self._corpus.repair()
        except Exception:
            log.exception("index: the repair failed")
        self.refresh()


def bounded(history: Sequence[Turn]) -> list[Turn]:
    """The latest turns of a conversation, each cut to `TURN_CHARS`, as many as
    `HISTORY_KEPT` and `HISTORY_CHARS` allow.

    >>> [len(t.content) for t in bounded([Turn("user", "x" * 9_000)] * 20)]
    [2000, 2000, 2000, 2000, 2000, 2000]
    """
    kept: list[Turn] = []
    budget = HISTORY_CHARS
    for turn in reversed(list(history)[-HISTORY_KEPT:]):
        content = turn.content[:TURN_CHARS]
        if len(content) > budget:
            break
        budget -= len(content)
        kept.append(Turn(turn.role, content) if content != turn.content else turn)
    return kept[::-1]


def migrate(
    config: Config, target: str, progress: bool = False, merge: bool = False
) -> list[Change]:
    """Copy the corpus `config` names to the vector store `target` (a `QA_VECTOR_STORE`
    setting) with its stored vectors: nothing is embedded, and ids are kept. A target that
    already lists articles is refused unless `merge`: its articles and the copied ones
    would then share one corpus, under ids that may have to change."""
    if target == config.vector_store:
        raise UserError("the corpus is already kept there")
    moved = replace(config, vector_store=target)  # checks the setting before any work
    embedder = make_embedder(config.model, config.encoder, config.threads)
    source = open_corpus(config, embedder)
    destination = open_corpus(moved, embedder, progress)
    try:
        listed = destination.listed()
        if listed and not merge:
            raise UserError(
                f"{destination.vectors.location} already holds {listed} articles; "
                "add --merge to copy these among them"
            )
        return destination.copy_from(source)
    finally:
        source.close()
        destination.close()


# The limits a caller may want to show before asking: re-exported from where they apply.
__all__ = ["MAX_ARTICLE_CHARS", "MAX_QUESTION_CHARS", "Engine", "migrate"]
