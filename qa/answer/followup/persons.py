"""Which of the names an article gives are people, so that "he" and "she" bind only to them.

The small parser takes some names for people that are not ("Storm Mirela", a football
club), so a name counts as a person here only on evidence in the text:
- a title or role stands before it ("Mayor Tom Lee", see `Person.roles`);
- it is followed by "who" ("Amina Diallo, who led the study");
- a message credits it with speech ("Jens Stoltenberg said: …", the engine's own answers);
- a gendered pronoun (he, she, his, her …) follows it in the same sentence, or opens the
  next sentence, with no other name in between.
A name the text writes after "the" ("the World Health Organization") is never a person.

Left out: first-name lists, and telling one person from another by gender.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache

from qa.articles.people import Person, whole_word

# Third-person pronouns that only a person takes (an organisation is "it" or "they").
GENDERED = re.compile(r"\b(he|she|him|his|her|hers|himself|herself)\b", re.IGNORECASE)
SENTENCE_END = re.compile(r"[.!?…][”\"’']?\s+")


def people_only(people: list[Person], article: str, answers: str = "") -> list[Person]:
    """The people in `people` whom the `article`, or the conversation's `answers`, treat as
    people. What the article shows is worked out once per article and kept; the answers
    are read anew each time (a conversation's are bounded, see `engine.HISTORY_CHARS`)."""
    shown = _people_in_article(tuple(people), article)
    if not answers:
        return list(shown)
    also = _evidenced(tuple(p for p in people if p not in shown), answers)
    return [p for p in people if p in shown or p in also]


@lru_cache(maxsize=32)  # the articles asked about recently, as the engine keeps answerers
def _people_in_article(people: tuple[Person, ...], article: str) -> tuple[Person, ...]:
    return _evidenced(people, article)


def _evidenced(people: tuple[Person, ...], text: str) -> tuple[Person, ...]:
    evidence = _pronoun_evidence(people, text)
    kept = []
    for person in people:
        forms = "|".join(re.escape(alias) for alias in person.aliases)
        if re.search(rf"\b[Tt]he\s+(?:{forms})\b", text):
            continue
        credited = re.search(rf"\b(?:{forms})\b(?:,)?\s+(?:who|said|says|added|told)\b", text)
        if person.roles or credited or person.name in evidence:
            kept.append(person)
    return tuple(kept)


def _pronoun_evidence(people: tuple[Person, ...], text: str) -> set[str]:
    """Names that a gendered pronoun after them points back to: one pass over the text's
    pronouns, each placed among the sentence ends and the names by bisection."""
    mentions = sorted(
        (match.start(), person.name)
        for person in people
        for alias in person.aliases
        for match in whole_word(alias).finditer(text)
    )
    starts = [start for start, _ in mentions]
    found: set[str] = set()
    sentences = [0, *(m.end() for m in SENTENCE_END.finditer(text)), len(text)]
    for pronoun in GENDERED.finditer(text):
        at = pronoun.start()
        place = bisect_right(sentences, at) - 1
        here = sentences[place]
        previous = sentences[place - 1] if place > 0 and sentences[place - 1] < here else here
        in_sentence = bisect_left(starts, at) - bisect_left(starts, here)
        if in_sentence > 0:
            found.add(mentions[bisect_left(starts, at) - 1][1])
        elif at == here:
            first = bisect_left(starts, previous)
            if first < bisect_left(starts, here):
                found.add(mentions[first][1])
    return found
