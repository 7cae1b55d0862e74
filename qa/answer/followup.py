"""Turn a follow-up question into one that stands alone, using the conversation so far.

"What alternative did he offer?" after a question about Zelenskyy becomes "What
alternative did Volodymyr Zelenskyy offer?". A third-person pronoun is replaced by the
person most recently named in the conversation: the latest message that names someone
wins, and within a message the last name given. Only people the article names count,
so a pronoun is never resolved to someone the article cannot answer about.

Left out: "it" and "they" (their referent is rarely a person the article quotes), and
ellipsis ("And Russia?"), which is searched as asked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.articles.people import Person
from qa.records import Turn

PRONOUNS = {"he": "", "she": "", "him": "", "her": "", "his": "’s", "hers": "’s"}
PRONOUN = re.compile(r"\b(he|she|him|her|his|hers)\b(?=(\W*)(\w*))", re.IGNORECASE)
# "her" before one of these is an object ("ask her about"); before a noun, a possessive.
NOT_A_NOUN = frozenset(
    "about to for with that and or on in at by from of if when what why how is was did".split()
)


@dataclass(frozen=True)
class Rewrite:
    """The question as searched, and the person a pronoun was read as (None if unchanged)."""

    question: str
    person: str | None


def rewrite(question: str, history: list[Turn], people: list[Person]) -> Rewrite:
    """Replace third-person pronouns with the person the conversation was about."""
    if not PRONOUN.search(question) or any(person.named_in(question) for person in people):
        return Rewrite(question, None)
    person = _last_person(history, people)
    if person is None:
        return Rewrite(question, None)

    def replace(match: re.Match[str]) -> str:
        pronoun = match.group(1).lower()
        possessive = pronoun == "her" and match.group(3) and match.group(2).isspace()
        if possessive and match.group(3).lower() not in NOT_A_NOUN:
            return person + "’s"
        return person + PRONOUNS[pronoun]

    return Rewrite(PRONOUN.sub(replace, question), person)


def _last_person(history: list[Turn], people: list[Person]) -> str | None:
    for message in reversed(history):
        found = [(person.last_mention(message.content), person.name) for person in people]
        named = [item for item in found if item[0] >= 0]
        if named:
            return max(named)[1]
    return None
