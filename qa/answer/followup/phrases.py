"""Read the shape of an English question: its wh-phrase, auxiliary, subject and the rest.

"When did the city council approve it?" is wh "When", auxiliary "did", subject "the city
council", rest "approve it". The follow-up rewriter uses the shape to ask an elliptical
turn ("Where?") with the previous question's words, and to find what a previous question
was about (its subject, else its object) for "it" and "they".

Where a noun phrase ends is guessed without a parser: it is the longest run of words,
from its first, that the reference text (the article, or the conversation) also
contains; with no reference, all but the run's last word (the verb after "did").

Left out: relative clauses, coordination, passives beyond "was X betrayed", and any
tagging of parts of speech; only closed-class English words are listed here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Closed-class English words: these lists are grammar, not any article's vocabulary.
WH = frozenset("what which who whom whose where when why how".split())
AUXILIARIES = frozenset(
    "did does do was were is are has have had will would can could should may might must".split()
)
DETERMINERS = frozenset(
    "the a an this that these those its their his her our my your each every any some".split()
)
PREPOSITIONS = frozenset(
    "of in on at to for with about from by into over under after before during against "
    "between through than as since until like".split()
)
PERSONAL = frozenset("i you he she it we they me him her us them".split())
# Words that end a noun run although they are not prepositions: conjunctions and negation.
STOPPERS = frozenset("and or but not that than so if when because while".split())
WORD = re.compile(r"[\w’'&.-]+")


@dataclass(frozen=True)
class Shape:
    """A question cut into parts; `wh` is "" for a yes/no question, `aux` "" for a
    question whose wh-phrase is its subject ("Who ordered the evacuation?")."""

    wh: str
    aux: str
    subject: str
    rest: str


def words(text: str) -> list[str]:
    """The question's words, without the final punctuation.

    >>> words("When did AT&T react?")
    ['When', 'did', 'AT&T', 'react']
    """
    return [w.rstrip(".") or w for w in WORD.findall(text)]


def shape(question: str, reference: str = "") -> Shape | None:
    """Cut a wh- or yes/no question into parts; None for anything else ("And Russia?").

    >>> shape("When did the storm strike?", "A powerful storm struck")
    Shape(wh='When', aux='did', subject='the storm', rest='strike')
    """
    tokens = words(question)
    if not tokens:
        return None
    first = tokens[0].lower()
    if first in AUXILIARIES:
        subject = noun_phrase(tokens[1:], reference)
        return Shape("", tokens[0], subject, " ".join(tokens[1 + len(subject.split()) :]))
    start = 1 if first in PREPOSITIONS and len(tokens) > 1 else 0  # "By whom was it …"
    if tokens[start].lower() not in WH:
        return None
    for i in range(start + 1, min(len(tokens), start + 5)):
        if tokens[i].lower() in AUXILIARIES and not _main_verb(tokens, i):
            subject = noun_phrase(tokens[i + 1 :], reference)
            rest = " ".join(tokens[i + 1 + len(subject.split()) :])
            return Shape(" ".join(tokens[:i]), tokens[i], subject, rest)
    return Shape(" ".join(tokens[: start + 1]), "", "", " ".join(tokens[start + 1 :]))


def _main_verb(tokens: list[str], i: int) -> bool:
    """Is the auxiliary at `i` the question's own verb ("had to leave", "was it")?"""
    following = tokens[i + 1].lower() if i + 1 < len(tokens) else ""
    return following in ("to", "")


def noun_phrase(tokens: list[str], reference: str = "") -> str:
    """The noun phrase `tokens` start with: a pronoun, a capitalised name, or a
    determiner and the words the reference text also has in a row.

    >>> noun_phrase("the city council debate".split(), "The city council approved")
    'the city council'
    >>> noun_phrase("the city council debate".split())
    'the city council'
    >>> noun_phrase("NATO send ground forces".split())
    'NATO'
    """
    if not tokens:
        return ""
    head = tokens[0]
    if head.lower() in PERSONAL:
        return head
    if head[0].isupper() and head.lower() not in DETERMINERS:
        run = [head]
        for token in tokens[1:]:
            if not token[0].isupper():
                break
            run.append(token)
        return " ".join(run)
    determiner = [head] if head.lower() in DETERMINERS else []
    run = []
    for token in tokens[len(determiner) :]:
        lowered = token.lower()
        if lowered in PREPOSITIONS or lowered in DETERMINERS or lowered in STOPPERS:
            break
        if lowered in AUXILIARIES or lowered in WH:
            break
        run.append(token)
    if not run:
        return ""
    return " ".join(determiner + _longest_known(run, reference))


def _longest_known(run: list[str], reference: str) -> list[str]:
    lowered = reference.lower()
    for size in range(len(run), 0, -1):
        if lowered and re.search(rf"\b{re.escape(' '.join(run[:size]).lower())}\b", lowered):
            return run[:size]
    return run[: max(1, len(run) - 1)]


def object_phrase(rest: str, reference: str = "") -> str:
    """The first noun phrase after the verb in `rest` ("call the tax rise" → "the tax rise")."""
    tokens = words(rest)
    for i, token in enumerate(tokens[1:], 1):
        if token.lower() in DETERMINERS or (token[0].isupper() and token.lower() not in WH):
            return noun_phrase(tokens[i:], reference)
    return ""
