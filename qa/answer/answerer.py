"""Answer a question from one indexed article: follow-ups, spelling, retrieval, abstention.

Abstention is decided by three rules: the question names something the article never
mentions; the thing it asks about ("how many refugees") is nowhere in the best sentence
(see `focus`); or the best sentence's fused score is below `FOUND_THRESHOLD`, which was
calibrated on the evaluation set (see README).
"""

from __future__ import annotations

from qa.answer.compose import compose
from qa.answer.focus import FocusCheck, focus_of
from qa.answer.followup import rewrite
from qa.answer.question import analyse
from qa.answer.retrieve import Retriever
from qa.answer.spelling import article_vocabulary, correct
from qa.articles.people import find_people
from qa.records import Answer, Turn
from qa.search.embedding import Embedder
from qa.search.indexing import IndexedArticle
from qa.search.vector_index import VectorIndex

FOUND_THRESHOLD = 0.20
MAX_CITATIONS = 3


class ArticleAnswerer:
    """Everything one article needs to answer questions, built once per article."""

    def __init__(self, indexed: IndexedArticle, embedder: Embedder) -> None:
        self.indexed = indexed
        self.people = find_people(indexed.article.text)
        self._vocabulary = article_vocabulary(indexed.article.text)
        self._dictionary = embedder.vocabulary
        self._focus = FocusCheck(indexed.article.text, embedder)
        vectors = VectorIndex.build(indexed.vectors)
        self._retriever = Retriever(indexed.sentences, indexed.passages, vectors, self.people)

    def answer(
        self,
        question: str,
        history: list[Turn],
        queries: Embedder,
        articles_searched: int = 1,
    ) -> Answer:
        """Answer a cleaned question; `queries` encodes it (a `QueryCache` shared by the
        articles answering it), and `articles_searched` words a refusal for a corpus."""
        resolved = rewrite(question, history, self.people)
        corrected = correct(resolved.question, self._vocabulary, self._dictionary)
        analysed = analyse(corrected, self.people, self._vocabulary)
        hits = self._retriever.search(analysed, MAX_CITATIONS + 2, queries)
        focus = focus_of(analysed.text)
        best = hits[0].sentence.text
        missing = focus if focus and not self._focus.covered(focus, best, queries) else None
        found = not analysed.unknown_names and not missing and hits[0].score >= FOUND_THRESHOLD
        shown = resolved.question if resolved.person else None
        return compose(
            self.indexed,
            analysed,
            hits,
            found=found,
            limit=MAX_CITATIONS,
            rewritten=shown,
            missing_focus=missing,
            articles_searched=articles_searched,
        )
