"""Answer a question from one indexed article: follow-ups, spelling, retrieval, answer type,
abstention.

Answering is two steps. `evidence` gathers, without deciding anything, what the article
offers the question: the question as read (a follow-up rewritten, misspellings mended,
the people it names, the kind of answer it asks for), the retriever's best sentences with
the answer of that kind each holds (`ranking.typed`), and which of them cover what the
question asks about (`ranking.focus`). `decide` then ranks those candidates by type and
says whether they answer; it is a pure function of the evidence and the weights, so
`qa eval --folds` can fit the weights without asking every question again.

Abstention is decided by four rules: the question names something the article never
mentions (a flat refusal); the best sentence's fused score is below `FOUND_THRESHOLD`
(a refusal that points to the nearest passages); the thing it asks about ("how many
refugees") is nowhere in a best sentence that otherwise scores as answers do; or the
question asks for a kind of answer that none of the best sentences holds. The last two
are unsure refusals that quote the closest passage (see `compose`).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import TypeVar

from qa.answer.followup.rewrite import Rewrite, rewrite
from qa.answer.ranking.focus import FocusCheck, focus_of
from qa.answer.ranking.retrieve import Retriever, query_forms
from qa.answer.ranking.typed import (
    POOL,
    Candidate,
    TypeWeights,
    candidates,
    lacks_answer,
    rerank,
    speaker_asked,
)
from qa.answer.reading.expected import Expected, Nouns, expected
from qa.answer.reading.question import Question, analyse
from qa.answer.reading.spelling import correct
from qa.answer.reading.vocabulary import Vocabulary
from qa.answer.writing.compose import compose
from qa.answer.writing.merge import Reply
from qa.answer.writing.short import short_answer
from qa.records import Turn
from qa.search.embedding import Embedder, QueryCache, WordVectors
from qa.search.indexing import IndexedArticle
from qa.search.vector_index import VectorIndex

# Below this fused score the best sentence is not an answer. 5-fold cross-validation over
# the SQuAD 2.0 dev paragraphs (the highest cut keeping training false refusals at 5% or
# less) chose 0.20-0.21 in four folds; the seed's own set was calibrated at 0.20 too.
FOUND_THRESHOLD = 0.20
MAX_CITATIONS = 3
T = TypeVar("T")

_reader: ThreadPoolExecutor | None = None  # the question reader's thread, once started
_reader_lock = threading.Lock()


@dataclass(frozen=True)
class Evidence:
    """What one article offers a question, before anything is decided.

    `candidates` are the retriever's best sentences in its order, each with the answer of
    the asked kind it holds; `covered` the indices of those that say something about the
    question's `focus` ("how many *refugees*").
    """

    resolved: Rewrite
    question: Question
    expected: Expected | None
    candidates: list[Candidate]
    focus: tuple[str, ...] | None
    covered: frozenset[int]
    speaker: str | None = None  # "what did X say": the X whose credited sentences answer


@dataclass(frozen=True)
class Decision:
    """The candidates in their final order, and whether the best answers."""

    ranked: list[Candidate]
    found: bool
    likely: bool  # a candidate scores as answers do, found or not
    missing_focus: str | None


def decide(evidence: Evidence, weights: TypeWeights) -> Decision:
    """Rank the candidates by type and apply the four abstention rules."""
    ranked = rerank(evidence.candidates, evidence.expected, weights)
    best = ranked[0]
    focus = evidence.focus
    missing = None
    if focus and evidence.candidates.index(best) not in evidence.covered:
        missing = focus[0]
    scores_as_answers = best.hit.score >= FOUND_THRESHOLD
    if evidence.speaker is not None and evidence.expected and not evidence.expected.about:
        scores_as_answers = True  # "What did X say?": X's own words answer, whatever they are
    # A refusal is unsure, and quotes the closest passage, when any candidate scores as
    # answers do, even if the type put another first.
    likely = max(c.hit.score for c in ranked) >= FOUND_THRESHOLD
    lacking = lacks_answer(ranked, evidence.expected, weights)
    found = (
        not evidence.question.unknown_names and not missing and scores_as_answers and not lacking
    )
    return Decision(ranked, found, likely, missing)


class Asking:
    """One question as every article answering it shares it: its vectors, encoded once
    (`QueryCache`), and the kind of answer it asks for, read once for each spelling of it
    (an article may mend a misspelling its own way). Made for one question."""

    def __init__(self, embedder: Embedder, nouns: Nouns) -> None:
        self.queries = QueryCache(embedder)
        self._nouns = nouns
        self._expected: dict[str, Expected | None] = {}

    def expected(self, question: str, forms: list[str]) -> Expected | None:
        """The kind of answer `question` asks for, read while its `forms` are encoded (into
        `queries`): the parse and the encoder each take a core, and neither waits for the
        other (onnxruntime lets go of the interpreter while it runs)."""
        if question in self._expected:
            self.queries.encode_queries(forms)
        else:
            reading = _started(lambda: expected(question, self._nouns))
            self.queries.encode_queries(forms)
            self._expected[question] = reading.result()
        return self._expected[question]


class ArticleAnswerer:
    """Everything one article needs to answer questions, built once per article."""

    def __init__(self, indexed: IndexedArticle, embedder: Embedder, words: WordVectors) -> None:
        self.indexed = indexed
        self.people = indexed.people
        # The title is the article's too: a headline often names what the text only implies.
        article = indexed.article
        self._vocabulary = Vocabulary.of(f"{article.title}\n{article.text}")
        self._dictionary = embedder.vocabulary
        self._focus = FocusCheck(words)
        vectors = VectorIndex.build(indexed.vectors)
        self._retriever = Retriever(indexed.sentences, indexed.passages, vectors, self.people)

    def answer(
        self,
        question: str,
        history: list[Turn],
        asking: Asking,
        articles_searched: int = 1,
        weights: TypeWeights | None = None,
    ) -> Reply:
        """Answer a cleaned question; `asking` is what the articles answering it share,
        and `articles_searched` words a refusal for a corpus."""
        found = self.evidence(question, history, asking)
        decision = decide(found, weights or TypeWeights())
        hits = [candidate.hit for candidate in decision.ranked][: MAX_CITATIONS + 2]
        resolved = found.resolved
        answer = compose(
            self.indexed,
            found.question,
            hits,
            found=decision.found,
            likely=decision.likely,
            limit=MAX_CITATIONS,
            rewritten=resolved.question if resolved.changed else None,
            missing_focus=decision.missing_focus,
            articles_searched=articles_searched,
            reason=found.expected is not None and found.expected.kind == "reason",
            speaker=found.speaker,
        )
        article = self.indexed.article
        if answer.found:
            answer = replace(answer, short_answer=short_answer(decision.ranked[0], article.text))
        return Reply(answer, hits[0], found.question.text, self.indexed.sentences, article.text)

    def evidence(self, question: str, history: list[Turn], asking: Asking) -> Evidence:
        """What the article offers a cleaned question (see `Evidence`)."""
        queries = asking.queries
        resolved = rewrite(question, history, self.people, self.indexed.article.text)
        corrected = correct(resolved.question, self._vocabulary, self._dictionary)
        analysed = analyse(corrected, self.people, self._vocabulary)
        asked = asking.expected(corrected, query_forms(analysed))
        # "What did X say?" is answered from X's own credited words, ranked by its topic.
        speaker = speaker_asked(asked, self.indexed.sentences)
        among = (
            [s.index for s in self.indexed.sentences if s.speaker == speaker] if speaker else None
        )
        # "What else?" should not quote again what the conversation already quoted.
        hits = self._retriever.search(analysed, POOL + len(resolved.seen), queries, among)
        fresh = [h for h in hits if not any(_overlaps(h.sentence.text, q) for q in resolved.seen)]
        hits = (fresh or hits)[:POOL]
        found = candidates(hits, asked, corrected, self.indexed.sentences)
        focus = focus_of(analysed.text)
        covered = frozenset(
            i
            for i, candidate in enumerate(found)
            if not focus or self._focus.covers(focus, candidate.hit.sentence.text)
        )
        return Evidence(resolved, analysed, asked, found, focus, covered, speaker)


def _started(work: Callable[[], T]) -> Future[T]:
    """`work` running on the question reader's thread. One thread, kept: a parse on a
    fresh thread first sets up spaCy's per-thread state (0.65 ms against a 1.6 ms parse),
    and the parses of concurrent questions take turns on spaCy's lock anyway."""
    global _reader
    with _reader_lock:
        if _reader is None:
            _reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="qa-question-reader")
        return _reader.submit(work)


def _forget_reader() -> None:
    """In a forked child: the parent's reader thread is not there, so start another."""
    global _reader, _reader_lock
    _reader, _reader_lock = None, threading.Lock()


os.register_at_fork(after_in_child=_forget_reader)


def _overlaps(sentence: str, quoted: str) -> bool:
    return sentence in quoted or quoted in sentence
