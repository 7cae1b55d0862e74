"""What gets embedded for each sentence: the sentence, its window, and its clauses.

A sentence alone misses what it leans on ("Because we have a responsibility…"), so it
is also embedded inside its paragraph window. A long sentence dilutes any one of its
points ("…air defence systems, anti-tank weapons and many other types of support…"),
so it is also embedded clause by clause, and its best clause can speak for it.

The layout of rows is a pure function of the sentences, so the index stores only the
vectors and rebuilds the row-to-sentence map on load.

Windows and clauses are most of the cost of adding an article (about three quarters of the
encoder's tokens), yet neither can be taken from a run already made without losing
answers: windows pooled from their paragraph's run (late chunking) moved news-dev's
hit@1 from 0.662 to 0.625 and its refused unanswerable from 0.150 to 0.050; clauses
pooled from their sentence's run cost SQuAD 2.0 dev two answered-and-right questions.

Left out: overlapping windows of other sizes; token-level (late) chunking, for the above.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from qa.records import Sentence

FORMAT = "sentence, paragraph window of 1, clauses of sentences over 20 words; v2"
WINDOW = 1
LONG_SENTENCE_WORDS = 20
MIN_CLAUSE_WORDS = 4
CLAUSE_BREAK = re.compile(r"(?<=[,;:—–])\s+|\s+(?=(?:but|and)\b)")


@dataclass(frozen=True)
class Passages:
    """Rows `[0, n)` are sentences, `[n, 2n)` windows, then clauses of long sentences."""

    texts: list[str]
    sentence_count: int
    clause_owner: np.ndarray  # for each clause row, the index of its sentence


def layout(sentences: list[Sentence]) -> Passages:
    windows, clauses, owners = [], [], []
    for sentence in sentences:
        around = sentences[max(0, sentence.index - WINDOW) : sentence.index + WINDOW + 1]
        windows.append(" ".join(s.text for s in around if s.paragraph == sentence.paragraph))
        if len(sentence.text.split()) > LONG_SENTENCE_WORDS:
            for clause in split_clauses(sentence.text):
                clauses.append(clause)
                owners.append(sentence.index)
    return Passages(
        texts=[s.text for s in sentences] + windows + clauses,
        sentence_count=len(sentences),
        clause_owner=np.array(owners, dtype=np.int64),
    )


def split_clauses(text: str) -> list[str]:
    """Cut at commas, colons, dashes and before "but"/"and", keeping clauses of 4+ words.

    >>> split_clauses("We see death, we see destruction, and we see suffering in Ukraine.")
    ['We see death, we see destruction,', 'and we see suffering in Ukraine.']
    """
    clauses: list[str] = []
    current = ""
    for part in CLAUSE_BREAK.split(text):
        current = f"{current} {part}".strip()
        if len(current.split()) >= MIN_CLAUSE_WORDS:
            clauses.append(current)
            current = ""
    if current:
        if clauses:
            clauses[-1] = f"{clauses[-1]} {current}"
        else:
            clauses.append(current)
    return clauses
