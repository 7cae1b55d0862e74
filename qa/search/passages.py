"""What stands for each sentence in the search: the sentence, its window, and its clauses.

A sentence alone misses what it leans on ("Because we have a responsibility…"), so it
also has a row for its paragraph window. A long sentence dilutes any one of its points
("…air defence systems, anti-tank weapons and many other types of support…"), so it is
also embedded clause by clause, and its best clause can speak for it.

A window's vector is the normalised sum of its sentences' vectors, not an embedding of
its text: windows were 54% of the text embedded, and on SQuAD 2.0 dev the sum answered
better (hit@1 0.925 against 0.907), on our conversations as well (follow-up hit@1 0.800
against 0.787), for half the cost of building. (On the seed's own questions it answered
one more unanswerable question.)

The layout of rows is a pure function of the sentences, so the index stores only the
vectors and rebuilds the row-to-sentence map on load.

Left out: overlapping windows of other sizes; token-level (late) chunking.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from qa.records import Sentence

FORMAT = "sentence, paragraph window of 1 as the sum of its sentences, clauses over 20 words; v3"
WINDOW = 1
LONG_SENTENCE_WORDS = 20
MIN_CLAUSE_WORDS = 4
CLAUSE_BREAK = re.compile(r"(?<=[,;:—–])\s+|\s+(?=(?:but|and)\b)")


@dataclass(frozen=True)
class Passages:
    """Rows `[0, n)` are sentences, `[n, 2n)` windows, then clauses of long sentences."""

    texts: list[str]  # what each row stands for
    sentence_count: int
    clause_owner: np.ndarray  # for each clause row, the index of its sentence
    windows: tuple[tuple[int, ...], ...]  # each sentence's window, as sentence indexes


def layout(sentences: list[Sentence]) -> Passages:
    windows, members, clauses, owners = [], [], [], []
    for sentence in sentences:
        around = sentences[max(0, sentence.index - WINDOW) : sentence.index + WINDOW + 1]
        around = [s for s in around if s.paragraph == sentence.paragraph]
        windows.append(" ".join(s.text for s in around))
        members.append(tuple(s.index for s in around))
        if len(sentence.text.split()) > LONG_SENTENCE_WORDS:
            for clause in split_clauses(sentence.text):
                clauses.append(clause)
                owners.append(sentence.index)
    return Passages(
        texts=[s.text for s in sentences] + windows + clauses,
        sentence_count=len(sentences),
        clause_owner=np.array(owners, dtype=np.int64),
        windows=tuple(members),
    )


def embed(rows: Passages, encode: Callable[[list[str]], np.ndarray]) -> np.ndarray:
    """One unit vector per row: sentences and clauses encoded, windows summed from their
    sentences' vectors."""
    n = rows.sentence_count
    encoded = np.asarray(encode(rows.texts[:n] + rows.texts[2 * n :]), dtype=np.float32)
    sentences, clauses = encoded[:n], encoded[n:]
    windows = np.zeros_like(sentences)
    for row, members in enumerate(rows.windows):
        summed = sentences[list(members)].sum(axis=0)
        windows[row] = summed / np.linalg.norm(summed)
    return np.ascontiguousarray(np.concatenate([sentences, windows, clauses]))


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
