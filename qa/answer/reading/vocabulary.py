"""The words an article uses, as a question may spell them.

A question names "Notre Dame" where the article wrote "Notre Dame's", "T cells" where it
wrote "T-cell", "US" where it wrote "U.S.", "Brazil" where it wrote "Brazilian", and
"marry" where it wrote "married". Each of those is a word the article knows: possessive
endings go, hyphenated words count whole and by part, dotted abbreviations count without
their dots, words compare by Snowball stem, and a word of four letters or more is known
when an article word starts with it.

Left out: synonyms and demonyms that share no prefix ("France" and "French").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.articles.people import POSSESSIVE
from qa.search.lexical import STEMMER

WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")
DOTTED = re.compile(r"\b(?:[A-Za-z]\.){2,}")
QUOTES = "'’"
PREFIX_MIN = 4  # shorter prefixes match too much: "art" would know "artillery"


def normal(word: str) -> str:
    """
    >>> normal("Dame's"), normal("'Mongolica'")
    ('dame', 'mongolica')
    """
    return POSSESSIVE.sub("", word.lower()).strip(QUOTES)


@dataclass(frozen=True)
class Vocabulary:
    words: frozenset[str]  # lower case, possessives dropped, hyphenated parts too
    stems: frozenset[str]

    @classmethod
    def of(cls, text: str) -> Vocabulary:
        """
        >>> v = Vocabulary.of("Notre Dame's T-cell research in the U.S. married Brazilian data.")
        >>> [v.knows(w) for w in ("Dame", "T", "US", "marry", "Brazil", "France")]
        [True, True, True, True, True, False]
        """
        words = {normal(w) for w in WORD.findall(text)}
        words |= {part for w in list(words) for part in re.split(r"[-'’]", w) if part}
        words |= {m.group().replace(".", "").lower() for m in DOTTED.finditer(text)}
        return cls(frozenset(words), frozenset(STEMMER.stemWords(sorted(words))))

    def knows(self, word: str) -> bool:
        lower = normal(word)
        if lower in self.words or STEMMER.stemWord(lower) in self.stems:
            return True
        return len(lower) >= PREFIX_MIN and any(w.startswith(lower) for w in self.words)
