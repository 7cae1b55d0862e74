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

from qa.articles.lexicon import GENERIC_HEADS
from qa.search.embedding import WordVectors
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
# The focus and the word after it: "the civil disobedience", "the present-day location".
PHRASE = 2
# Words after a focus that end its phrase rather than continue it.
JOINING = AUXILIARY + r"|of|in|on|at|to|for|by|with|from|as|and|or|that|which|who|than"
WORD = re.compile(r"[A-Za-z][A-Za-z-]+")


def focus_of(question: str) -> tuple[str, ...] | None:
    """The words a question asks about, for the shapes where they are plain to see: the
    focus noun and the word after it (either may carry the meaning), past generic heads.
    A capitalised focus is a name, which the question reader checks instead.

    >>> focus_of("How many refugees have fled Ukraine?"), focus_of("What did he say?")
    (('refugees',), None)
    >>> focus_of("What was the civil disobedience performed at the site?")
    ('civil', 'disobedience')
    >>> focus_of("What was the name of the colony?"), focus_of("How many Vice Presidents?")
    (None, None)
    """
    for pattern in FOCUS_PATTERNS:
        match = pattern.match(question.strip())
        if match:
            focus = match.group("focus")
            if focus[0].isupper() or focus.lower() in GENERIC_HEADS:
                return None
            following = WORD.findall(question[match.end() :])[: PHRASE - 1]
            nouns = [w for w in following if not re.fullmatch(JOINING, w, re.I)]
            return tuple(w.lower() for w in [focus, *nouns])
    return None


class FocusCheck:
    """Tells whether a sentence covers a focus word. Words are embedded when a candidate
    sentence first needs them, and kept across questions and articles (`WordVectors`): a
    question with a focus checks a few candidate sentences, so most of an article's words
    are never embedded (embedding all of them was most of the time it took to make an
    article ready to answer)."""

    def __init__(self, words: WordVectors) -> None:
        self._words = words

    def covers(self, focus: tuple[str, ...], sentence: str) -> bool:
        """Whether `sentence` says something about any word of `focus`."""
        return any(self.covered(word, sentence) for word in focus)

    def covered(self, focus: str, sentence: str) -> bool:
        """Whether `sentence` says something about `focus`."""
        words = sorted({word.lower() for word in WORD.findall(sentence)})
        stem = STEMMER.stemWord(focus)
        if any(STEMMER.stemWord(word) == stem for word in words):
            return True
        if not words:
            return False
        vectors = self._words.of([focus, *words])
        return bool(np.max(vectors[1:] @ vectors[0]) >= SIMILAR)
