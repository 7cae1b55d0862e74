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
from functools import lru_cache

from qa.articles.people import Person

# Third-person pronouns that only a person takes (an organisation is "it" or "they").
GENDERED = re.compile(r"\b(he|she|him|his|her|hers|himself|herself)\b", re.IGNORECASE)
SENTENCE_END = re.compile(r"[.!?…][”\"’']?\s+")


def people_only(people: list[Person], text: str) -> list[Person]:
    """The people in `people` whom `text` treats as people."""
    return list(_people_only(tuple(people), text))


@lru_cache(maxsize=256)  # one entry per article and conversation seen recently
def _people_only(people: tuple[Person, ...], text: str) -> tuple[Person, ...]:
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
    """Names that a gendered pronoun after them points back to."""
    mentions = sorted(
        (match.start(), person.name)
        for person in people
        for alias in person.aliases
        for match in re.finditer(rf"\b{re.escape(alias)}\b", text)
    )
    found: set[str] = set()
    sentences = [0, *(m.end() for m in SENTENCE_END.finditer(text)), len(text)]
    for pronoun in GENDERED.finditer(text):
        at = pronoun.start()
        here = max(s for s in sentences if s <= at)
        previous = max((s for s in sentences if s < here), default=here)
        in_sentence = [name for start, name in mentions if here <= start < at]
        if in_sentence:
            found.add(in_sentence[-1])
        elif at == here:
            before = [name for start, name in mentions if previous <= start < here]
            if before:
                found.add(before[0])
    return found
