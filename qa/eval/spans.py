"""SQuAD's exact match and F1 for an answer span, as its official evaluation script scores them.

Both compare normalised text: lower case, punctuation removed, the articles "a", "an"
and "the" removed, whitespace collapsed. F1 counts the words shared by the answer and a
gold answer, as a bag. Against several gold answers the best one counts.

Left out: the script's no-answer threshold search (our refusals are scored apart).
"""

from __future__ import annotations

import re
import string
from collections import Counter
from collections.abc import Iterable

PUNCTUATION = frozenset(string.punctuation)
ARTICLES = re.compile(r"\b(a|an|the)\b")


def normalise(text: str) -> str:
    """
    >>> normalise("The  Normans' (first) duke!")
    'normans first duke'
    """
    text = "".join(ch for ch in text.lower() if ch not in PUNCTUATION)
    return " ".join(ARTICLES.sub(" ", text).split())


def exact_match(answer: str, golds: Iterable[str]) -> float:
    """1.0 when the answer is one of the gold answers once both are normalised.

    >>> exact_match("the Normans", ["Normans", "Norse"])
    1.0
    """
    return max((float(normalise(answer) == normalise(gold)) for gold in golds), default=0.0)


def f1(answer: str, golds: Iterable[str]) -> float:
    """The best word-overlap F1 against any gold answer.

    >>> round(f1("in the 10th century", ["10th and 11th centuries"]), 3)
    0.286
    """
    return max((_f1(normalise(answer).split(), normalise(g).split()) for g in golds), default=0.0)


def _f1(words: list[str], gold: list[str]) -> float:
    if not words or not gold:  # the official script: 1.0 only when both are empty
        return float(words == gold)
    shared = sum((Counter(words) & Counter(gold)).values())
    if shared == 0:
        return 0.0
    precision, recall = shared / len(words), shared / len(gold)
    return 2 * precision * recall / (precision + recall)
