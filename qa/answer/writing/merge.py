"""Choose among the answers of several articles: the one front answer, and its citations.

Each article answers alone, and its fused scores are its own: the keyword part is scaled
by that article's best match, so every article's best sentence scores 1 on it. Across
articles, answers are compared by what is comparable: the dense cosine of each answer's
best sentence, plus the keyword score recomputed over the answering articles' sentences
together, with the weight the retriever gives keywords. Found answers come before
refusals. The best answer's first citation leads; the other citations that agree with it
on found or not follow by score.

Measured on the 335 SQuAD 2.0 dev paragraphs asked all at once: the right article first
for 0.870 of answerable questions when comparing fused scores, 0.913 this way.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from qa.answer.ranking.retrieve import Weights
from qa.records import Answer, Citation, Hit, Sentence
from qa.search.lexical import LexicalIndex


@dataclass(frozen=True)
class Reply:
    """One article's answer, with the evidence the merge compares."""

    answer: Answer
    best: Hit  # the best sentence, as ranked within its article
    searched: str  # the question as the article searched it (follow-ups rewritten)
    sentences: list[Sentence]
    text: str  # the article's text, which the citations slice


def merged(replies: list[Reply], limit: int) -> Reply:
    """The best reply of `replies`, its answer with up to `limit` citations."""
    if len(replies) == 1:
        return replies[0]
    keywords = _keywords_across(replies)
    order = sorted(
        range(len(replies)),
        key=lambda i: (replies[i].answer.found, replies[i].best.dense + keywords[i]),
        reverse=True,
    )
    best = replies[order[0]].answer
    if not best.citations:
        return replies[order[0]]
    others = [
        c
        for i in order[1:]
        for c in replies[i].answer.citations
        if replies[i].answer.found == best.found
    ]
    rest = sorted(best.citations[1:] + others, key=lambda c: c.score, reverse=True)
    citations: list[Citation] = best.citations[:1] + rest[: limit - 1]
    return replace(replies[order[0]], answer=replace(best, citations=citations))


def _keywords_across(replies: list[Reply]) -> list[float]:
    """Each reply's best sentence's BM25 score over all the replies' sentences, scaled by
    the best of them and weighted as the retriever weights keywords."""
    index = LexicalIndex([s.text for reply in replies for s in reply.sentences])
    scored: dict[str, np.ndarray] = {}  # the articles usually searched the same words
    keywords = []
    first_row = 0  # each reply's sentences follow the previous reply's
    for reply in replies:
        if reply.searched not in scored:
            scored[reply.searched] = index.scores(reply.searched)
        scores = scored[reply.searched]
        top = float(scores.max()) if scores.max() > 0 else 1.0
        row = first_row + reply.best.sentence.index
        keywords.append(Weights().lexical * float(scores[row]) / top)
        first_row += len(reply.sentences)
    return keywords
