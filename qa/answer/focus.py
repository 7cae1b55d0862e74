"""Check that the thing a question asks about appears in the sentence that would answer it.

"How many refugees have fled Ukraine?" lands on "Russian troops have already fired nearly
a thousand missiles at Ukraine." with a score like a real answer's: same topic, same
shape of answer. What gives it away is its focus, "refugees", which nothing in that
sentence means. For the question shapes whose focus is easy to read ("how many X",
"how much X", "what is the X", "where is X"), the focus word must match a word of the
best sentence by stem, or come close to one in embedding space (`SIMILAR`).

Left out: questions of other shapes, and multi-word foci ("fighter jets" is read as
"fighter"); those pass unchecked.
"""

from __future__ import annotations

import re

import numpy as np

from qa.search.embedding import Embedder
from qa.search.lexical import STEMMER

SIMILAR = 0.55
AUXILIARY = r"(?:do|does|did|is|are|was|were|has|have|had|will|would|can|could|should)\b"
FOCUS_PATTERNS = (
    # "How much does a dose cost?" asks about the verb's object, not "does": no focus.
    re.compile(
        r"^how (?:many|much) (?:of )?(?:the )?(?!" + AUXILIARY + r")(?P<focus>[a-z][a-z-]+)", re.I
    ),
    re.compile(r"^what (?:is|was|are|were) the (?P<focus>[a-z][a-z-]+)", re.I),
    re.compile(r"^where (?:is|are|was|were) (?:the )?(?:\w+[’']s )?(?P<focus>[a-z][a-z-]+)", re.I),
)
WORD = re.compile(r"[A-Za-z][A-Za-z-]+")


def focus_of(question: str) -> str | None:
    """The word a question asks about, for the shapes where it is plain to see.

    >>> focus_of("How many refugees have fled Ukraine?"), focus_of("What did he say?")
    ('refugees', None)
    """
    for pattern in FOCUS_PATTERNS:
        match = pattern.match(question.strip())
        if match:
            return match.group("focus").lower()
    return None


class FocusCheck:
    """Embeds an article's words once, then tells whether a sentence covers a focus word."""

    def __init__(self, text: str, embedder: Embedder) -> None:
        self._words = sorted({word.lower() for word in WORD.findall(text)})
        self._index = {word: row for row, word in enumerate(self._words)}
        self._vectors = embedder.encode_queries(self._words) if self._words else None

    def covered(self, focus: str, sentence: str, queries: Embedder) -> bool:
        """Whether `sentence` says something about `focus`; `queries` encodes the focus."""
        words = {word.lower() for word in WORD.findall(sentence)}
        stem = STEMMER.stemWord(focus)
        if any(STEMMER.stemWord(word) == stem for word in words) or self._vectors is None:
            return True
        rows = [self._index[word] for word in words if word in self._index]
        if not rows:
            return False
        query = queries.encode_queries([focus])[0]
        return bool(np.max(self._vectors[rows] @ query) >= SIMILAR)
