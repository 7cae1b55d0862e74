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

from qa.answer.reading.vocabulary import WORD, Vocabulary, normal

MIN_LENGTH = 4
SIMILARITY = 0.8


def correct(question: str, vocabulary: Vocabulary, dictionary: frozenset[str]) -> str:
    """Replace misspelt words of `question` with the article's closest spelling.

    >>> article = Vocabulary.of("Jens Stoltenberg")
    >>> correct("What did Stoltenbreg say?", article, frozenset({"what", "say"}))
    'What did Stoltenberg say?'
    """

    def fix(match: re.Match[str]) -> str:
        word = match.group()
        lower = normal(word)  # "NATO's" is spelt as "NATO" is
        if len(lower) < MIN_LENGTH or lower in vocabulary.words or lower in dictionary:
            return word
        candidates = difflib.get_close_matches(lower, vocabulary.words, n=2, cutoff=SIMILARITY)
        if not candidates:
            return word
        return _match_case(candidates[0], word)

    return WORD.sub(fix, question)


def _match_case(replacement: str, original: str) -> str:
    return replacement.capitalize() if original[:1].isupper() else replacement
