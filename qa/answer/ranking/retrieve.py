"""Rank an article's sentences for a question: dense and lexical evidence, fused.

The fused score adds, with weights calibrated on the evaluation set:
- dense: cosine with the sentence (or its best clause) and with its paragraph window
  (see `passages`), for the question as asked and for its content with the names taken
  out (a name alone matches every sentence that mentions it), averaged;
- lexical: BM25 over stemmed words, scaled by the best match;
- person: the question names the sentence's speaker or someone the sentence names;
- hubness: minus the sentence's similarity to the article's centroid; without it, a
  vague sentence ("You know what defense systems we need.") wins many questions.

What the question asks for (a person, a number, a date…) re-ranks the best of these
afterwards (`typed`). Left out: reranking with a cross-encoder (none ships offline) and
paging past `k`.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import numpy as np

from qa.answer.reading.question import Question
from qa.articles.people import Person
from qa.records import Hit, Sentence
from qa.search.embedding import Embedder
from qa.search.lexical import LexicalIndex
from qa.search.passages import Passages
from qa.search.vector_index import VectorIndex


@dataclass(frozen=True)
class Weights:
    sentence: float = 0.5
    window: float = 0.5
    clause: float = 0.9  # a clause's cosine, scaled, may stand in for its sentence's
    lexical: float = 0.1
    person: float = 0.1
    hubness: float = 0.3


class Retriever:
    """Scores every sentence of one article against a question."""

    def __init__(
        self,
        sentences: list[Sentence],
        passages: Passages,
        vectors: VectorIndex,
        people: list[Person],
        weights: Weights | None = None,
    ) -> None:
        if vectors.size != len(passages.texts):
            raise ValueError(
                f"expected {len(passages.texts)} vectors for {len(sentences)} sentences. "
                f"Currently, {vectors.size}"
            )
        self.sentences = sentences
        self._passages = passages
        self._vectors = vectors
        self._weights = weights or Weights()
        self._lexical = LexicalIndex([s.text for s in sentences])
        self._hubness = self._centroid_similarity()
        self._mentions = self._people_mentioned(people)

    def search(
        self, question: Question, k: int, queries: Embedder, among: Collection[int] | None = None
    ) -> list[Hit]:
        """The `k` best sentences, best first, of those whose index is in `among` (all, by
        default); `queries` encodes the question."""
        if k <= 0:
            raise ValueError(f"k must be greater than 0. Currently, k is {k}")
        w = self._weights
        dense = np.mean([self._dense(q) for q in queries.encode_queries(query_forms(question))], 0)
        bm25 = self._lexical.scores(question.content)
        lexical = bm25 / bm25.max() if bm25.max() > 0 else bm25
        score = (
            dense
            + w.lexical * lexical
            + w.person * self._person_feature(question)
            - w.hubness * self._hubness
        )
        if among is not None:
            kept = np.zeros(len(score), dtype=bool)
            kept[list(among)] = True
            score = np.where(kept, score, -np.inf)
            k = min(k, int(kept.sum()))
        order = np.argsort(-score, kind="stable")[:k]
        return [
            Hit(self.sentences[i], float(score[i]), float(dense[i]), float(bm25[i])) for i in order
        ]

    def _dense(self, query: np.ndarray) -> np.ndarray:
        sentence_cos, window_cos = self._cosines(query)
        return self._weights.sentence * sentence_cos + self._weights.window * window_cos

    def _cosines(self, query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per sentence: the best of the sentence and its clauses, and its window."""
        count = self._passages.sentence_count
        found = self._vectors.search(query, self._vectors.size)
        cosines = np.zeros(self._vectors.size, dtype=np.float32)
        cosines[found.ids] = found.scores
        sentence_cos = cosines[:count].copy()
        clause_cos = self._weights.clause * cosines[2 * count :]
        np.maximum.at(sentence_cos, self._passages.clause_owner, clause_cos)
        return sentence_cos, cosines[count : 2 * count]

    def _centroid_similarity(self) -> np.ndarray:
        count = self._passages.sentence_count
        sentence_cos, _ = self._cosines(self._vectors.mean(0, count))
        _, window_cos = self._cosines(self._vectors.mean(count, 2 * count))
        return (sentence_cos + window_cos) / 2

    def _people_mentioned(self, people: list[Person]) -> list[frozenset[str]]:
        mentioned = []
        for sentence in self.sentences:
            names = {person.name for person in people if person.last_mention(sentence.text) >= 0}
            if sentence.speaker:
                names.add(sentence.speaker)
            mentioned.append(frozenset(names))
        return mentioned

    def _person_feature(self, question: Question) -> np.ndarray:
        return np.array([bool(question.people & names) for names in self._mentions], dtype=float)


def query_forms(question: Question) -> list[str]:
    """What is embedded of a question: as asked, and its content with the names taken out
    (once, when it names no one)."""
    return list(dict.fromkeys([question.text, question.content]))
