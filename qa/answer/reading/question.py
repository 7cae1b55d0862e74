"""Check a question and read what it asks: who it is about, what kind of answer, what content.

Validation comes first so that bad input gets one clear message and touches nothing:
empty, too long, or nothing but punctuation. Control characters are removed rather than
refused, because pasted text often carries them harmlessly.

Analysis then finds the people the question names (by name, surname or title, such as
"the president"), masks them out of the content to search for (a name matches every
sentence that mentions it, drowning out what was asked about them), and notes the names
the article never uses. What kind of answer it asks for is read from its parse, in
`expected`.

Left out: anything that needs a language model.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from qa.answer.reading.vocabulary import Vocabulary
from qa.articles.lexicon import NOT_NAMES
from qa.articles.people import Person
from qa.errors import InvalidQuestion

MAX_QUESTION_CHARS = 500
# With this many words past the first all capitalised, the capitals are the typing's.
TITLE_CASE_WORDS = 3
# "American legislators", "the Western bloc": adjectives describe, they do not name a subject.
DESCRIPTIVE = re.compile(r"(ian|ean|can|ern|ese|ish)$")


@dataclass(frozen=True)
class Question:
    """A cleaned question and what was read from it."""

    text: str
    content: str
    people: frozenset[str]
    unknown_names: tuple[str, ...]


def clean(raw: str) -> str:
    """Validate `raw` and return it with control characters removed and spaces collapsed.

    >>> clean("  What\\x00 did   NATO say?\\n")
    'What did NATO say?'
    """
    if not isinstance(raw, str):
        raise InvalidQuestion("The question must be text.")
    if len(raw) > 20 * MAX_QUESTION_CHARS:  # refuse a huge paste before walking through it
        raise InvalidQuestion(_too_long(len(raw)))
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in raw)
    text = " ".join(text.split())
    if not text:
        raise InvalidQuestion("Please type a question about the article.")
    if len(text) > MAX_QUESTION_CHARS:
        raise InvalidQuestion(_too_long(len(text)))
    if not any(ch.isalnum() for ch in text):
        raise InvalidQuestion("The question has no words in it; please ask about the article.")
    return text


def _too_long(length: int) -> str:
    return (
        f"The question is {length:,} characters long; please keep it under "
        f"{MAX_QUESTION_CHARS} characters."
    )


def analyse(text: str, people: list[Person], vocabulary: Vocabulary) -> Question:
    """Read a cleaned question against the people and words of one article."""
    named = frozenset(person.name for person in people if person.named_in(text))
    content = text
    for person in people:
        for form, flags in _forms(person):
            content = re.sub(rf"\b{re.escape(form)}(?:[’']s)?\b", " ", content, flags=flags)
    content = " ".join(content.split()) or text
    return Question(
        text=text,
        content=content,
        people=named,
        unknown_names=_unknown_names(text, vocabulary),
    )


def _forms(person: Person) -> list[tuple[str, re.RegexFlag]]:
    """As `Person.named_in` reads them: names as written, titles in any case."""
    names = [(alias, re.NOFLAG) for alias in person.aliases]
    return names + [(role, re.IGNORECASE) for role in person.roles]


def _unknown_names(text: str, vocabulary: Vocabulary) -> tuple[str, ...]:
    """Capitalised words past the first that the article never uses: things it never mentions.

    A question typed in capitals or in title case says nothing by its capitals, so then
    no word counts as a name.

    >>> _unknown_names("What did Joe Biden say about NATO?", Vocabulary.of("NATO said"))
    ('Joe', 'Biden')
    >>> _unknown_names("WHAT DID JOE BIDEN SAY?", Vocabulary.of("NATO said"))
    ()
    """
    # A sentence's first word is capitalised as a sentence start ("Who led it? Where?").
    words = [
        word.strip("'’")
        for sentence in re.split(r"[.?!]\s+", text)
        for word in re.findall(r"[A-Za-z][\w’'-]*", sentence)[1:]
    ]
    if len(words) >= TITLE_CASE_WORDS and all(w[0].isupper() for w in words):
        return ()
    return tuple(
        word
        for word in words
        if word[0].isupper()
        and word not in NOT_NAMES
        and not vocabulary.knows(word)
        and not DESCRIPTIVE.search(word)
    )
