"""Correct misspelt words in a question against the article's own vocabulary.

"Stoltenbreg" and "missles" match nothing in BM25 and drift in embedding space. A word
is replaced only when it is not a known English word (the embedding model's vocabulary)
and the article uses a spelling close to it (the closest wins), so real words the
article lacks are left alone and still count against the question being answerable.

Left out: splitting or joining words, and corrections across word boundaries.
"""

from __future__ import annotations

import difflib
import re

from qa.articles.people import POSSESSIVE

WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")
MIN_LENGTH = 4
SIMILARITY = 0.8


def article_vocabulary(text: str) -> frozenset[str]:
    """The lower-cased words of an article."""
    return frozenset(word.lower() for word in WORD.findall(text))


def correct(question: str, vocabulary: frozenset[str], dictionary: frozenset[str]) -> str:
    """Replace misspelt words of `question` with the article's closest spelling.

    >>> correct("What did Stoltenbreg say?", frozenset({"stoltenberg"}), frozenset({"what", "say"}))
    'What did Stoltenberg say?'
    """

    def fix(match: re.Match[str]) -> str:
        word = match.group()
        lower = POSSESSIVE.sub("", word.lower())  # "NATO's" is spelt as "NATO" is
        if len(lower) < MIN_LENGTH or lower in vocabulary or lower in dictionary:
            return word
        candidates = difflib.get_close_matches(lower, vocabulary, n=2, cutoff=SIMILARITY)
        if not candidates:
            return word
        return _match_case(candidates[0], word)

    return WORD.sub(fix, question)


def _match_case(replacement: str, original: str) -> str:
    return replacement.capitalize() if original[:1].isupper() else replacement
