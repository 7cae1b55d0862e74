"""What kind of answer a question asks for, read from its parse: the answer-type step of
question answering (as in TREC QA).

| the question | asks for | answered by mentions of kind |
|---|---|---|
| who, whom, whose | a person | PERSON |
| how many | a count | CARDINAL, QUANTITY |
| how much; what share, price… | an amount | MONEY, PERCENT, QUANTITY, CARDINAL |
| how far, high, fast, old… | a measure | QUANTITY, CARDINAL, MONEY, PERCENT |
| when; what year, date… | a time | DATE, TIME |
| how long | a duration | DURATION, DATE, TIME, QUANTITY |
| where; which country, city… | a place | GPE, LOC, FAC |
| which/what + a noun for people | a person | PERSON |
| which/what + a noun for bodies | an organisation | ORG |
| which/what + a noun for titled things | a title | WORK_OF_ART, EVENT, PRODUCT, LAW, LANGUAGE |
| what religion, nationality… | a group | NORP |
| what was the score | a score | SCORE |
| why | a reason | REASON (or, less surely, PURPOSE) |
| what did X say (about Y) | X's own words | SPEECH |

The noun of "which/what + noun" is looked up in the noun lists of `articles/words/`
(`person_nouns.txt`, `organisation_nouns.txt`…), past nouns that only link to the real one
("the *name* of the fan"); "what *kind* of state" asks for a category, which no mention
names. A noun in no list is compared by
meaning with the listed ones (`Nouns`): the nearest listed noun lends its kind when the
two are at least `SIMILAR` ("carmaker" is near "maker"). A question of no kind keeps the
plain ranking.

Left out: yes/no questions, and "how" questions of manner, which no mention answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np

from qa.articles.lexicon import GENERIC_HEADS, word_list
from qa.articles.nlp import read
from qa.search.embedding import WordVectors

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

Kind = Literal[
    "person",
    "organisation",
    "count",
    "amount",
    "measure",
    "time",
    "duration",
    "place",
    "title",
    "group",
    "score",
    "reason",
    "speech",
]

LABELS: dict[Kind, frozenset[str]] = {
    "person": frozenset({"PERSON"}),
    "organisation": frozenset({"ORG"}),
    "count": frozenset({"CARDINAL", "QUANTITY"}),
    "amount": frozenset({"MONEY", "PERCENT", "QUANTITY", "CARDINAL"}),
    "measure": frozenset({"QUANTITY", "CARDINAL", "MONEY", "PERCENT"}),
    "time": frozenset({"DATE", "TIME"}),
    "duration": frozenset({"DURATION", "DATE", "TIME", "QUANTITY"}),
    "place": frozenset({"GPE", "LOC", "FAC"}),
    "title": frozenset({"WORK_OF_ART", "EVENT", "PRODUCT", "LAW", "LANGUAGE"}),
    "group": frozenset({"NORP"}),
    "score": frozenset({"SCORE"}),
    "reason": frozenset({"REASON"}),
    "speech": frozenset({"SPEECH"}),
}
# Mentions that may answer a kind less surely, counted less (`TypeWeights.loose`): for a
# kind whose answer is a name, a name of another label, since the small parser often
# gives a name the wrong one (a football club as a place, a company as a person) and
# "who" may ask for an organisation; for "why", a purpose ("to allow censors…"), which
# is why someone acts but is as often the purpose of what others do in the sentence.
NAMES = frozenset({"PERSON", "ORG", "NORP", "GPE", "LOC", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART"})
LESS_SURELY: dict[Kind, frozenset[str]] = {
    **{kind: NAMES for kind in ("person", "organisation", "place", "title", "group")},
    "reason": frozenset({"PURPOSE"}),
}
# Nouns by the kind of answer they ask for, lemmas as the parser gives them.
NOUN_KINDS: tuple[tuple[Kind, frozenset[str]], ...] = (
    ("time", word_list("time_nouns")),
    ("amount", word_list("number_nouns")),
    ("score", word_list("score_nouns")),
    ("person", word_list("person_nouns")),
    ("organisation", word_list("organisation_nouns")),
    ("place", word_list("place_nouns")),
    ("group", word_list("group_nouns")),
    ("title", word_list("title_nouns")),
)
BY_WH_WORD: dict[str, Kind] = {
    "who": "person",
    "whom": "person",
    "whose": "person",
    "when": "time",
    "where": "place",
    "why": "reason",
}
AFTER_HOW: dict[str, Kind] = {"many": "count", "much": "amount", "long": "duration"}
# "How far", "how old": a measure.
MEASURES = frozenset({"far", "high", "tall", "big", "large", "deep", "wide", "fast", "old"})
MEASURES |= frozenset({"heavy", "late", "early", "often", "soon"})
# Verbs that ask for someone's words: "What did X say?", "What does X think of Y?".
SPEECH_VERBS = frozenset({"say", "tell", "think", "describe", "call", "write", "tweet", "add"})
SPEECH_VERBS |= frozenset({"comment", "argue", "claim", "warn", "announce", "believe"})
# Linking nouns that ask for a category of their noun, which no entity names.
CATEGORIES = frozenset({"kind", "type", "sort", "form", "variety"})
# The least cosine at which an unlisted noun takes the kind of its nearest listed noun.
SIMILAR = 0.6
WH_TAGS = frozenset({"WP", "WDT", "WRB", "WP$"})


@dataclass(frozen=True)
class Expected:
    """The kind of answer a question asks for, and what the question says around it.

    `noun` is the noun the question names its answer by ("how many *planes*": plane;
    "which *company*"), or "". `lemmas` are the question's content words as lemmas, to
    compare with the words a mention hangs from. `subject` is who a "what did X say"
    question asks about, as the question writes it.
    """

    kind: Kind
    noun: str
    lemmas: frozenset[str]
    subject: str = ""

    @property
    def labels(self) -> frozenset[str]:
        return LABELS[self.kind]

    @property
    def less_surely(self) -> frozenset[str]:
        """Mention kinds that may answer it too, counted less (see `LESS_SURELY`)."""
        return LESS_SURELY.get(self.kind, frozenset())

    @property
    def about(self) -> frozenset[str]:
        """What a "what did X say" question asks about besides X: "ground forces" in
        "What did NATO say about ground forces?", nothing in "What did Zelenskyy say?"."""
        named = {word.lower() for word in self.subject.split()}
        return self.lemmas - named - SPEECH_VERBS


@dataclass(frozen=True)
class _Reading:
    """A question's parse, as far as the answer type needs it."""

    wh: str
    following: str  # the word after the wh-word
    noun: str  # the noun the wh-word asks by, past linking nouns
    counted: str  # the noun "how many" counts
    verb: str  # the main verb's lemma
    subject: str  # the main verb's subject, as written
    wh_is_object: bool
    lemmas: frozenset[str]


class Nouns:
    """The listed nouns' vectors, to give an unlisted noun the kind of the nearest one."""

    def __init__(self, words: WordVectors) -> None:
        self._words = words
        self._kinds = [kind for kind, nouns in NOUN_KINDS for _ in sorted(nouns)]
        self._vectors = words.of([n for _, nouns in NOUN_KINDS for n in sorted(nouns)])

    def kind_of(self, noun: str) -> Kind | None:
        listed = next((kind for kind, nouns in NOUN_KINDS if noun in nouns), None)
        if listed is not None or not noun:
            return listed
        similarity = self._vectors @ self._words.of([noun])[0]
        best = int(np.argmax(similarity))
        return self._kinds[best] if similarity[best] >= SIMILAR else None


def expected(question: str, nouns: Nouns | None = None) -> Expected | None:
    """What kind of answer `question` asks for, or None when it asks for no kind.

    >>> [expected(q).kind for q in ("Who leads NATO?", "How many missiles were fired?")]
    ['person', 'count']
    >>> expected("Why did it fall?").kind, expected("In what year did the war end?").kind
    ('reason', 'time')
    >>> expected("How did the mayor react?") is None
    True
    """
    reading = read(question, _reading, entities=False)
    kind = _kind(reading, nouns)
    if kind is None:
        return None
    noun = reading.counted if kind == "count" else reading.noun
    subject = reading.subject if kind == "speech" else ""
    return Expected(kind, noun, reading.lemmas, subject)


def _kind(reading: _Reading, nouns: Nouns | None) -> Kind | None:
    wh = reading.wh
    if wh in BY_WH_WORD:
        return BY_WH_WORD[wh]
    if wh == "how":
        following = reading.following
        if following in AFTER_HOW:
            return AFTER_HOW[following]
        return "measure" if following in MEASURES else None
    if wh in ("what", "which"):
        if reading.wh_is_object and reading.verb in SPEECH_VERBS and reading.subject:
            return "speech"
        listed = next((kind for kind, words in NOUN_KINDS if reading.noun in words), None)
        if listed is None and nouns is not None:
            listed = nouns.kind_of(reading.noun)
        return listed
    return None


def _reading(doc: Doc) -> _Reading:
    wh = next((t for t in doc if t.tag_ in WH_TAGS), None)
    lemmas = frozenset(t.lemma_.lower() for t in doc if not (t.is_punct or t.is_stop or t.is_space))
    root = next((t for t in doc if t.dep_ == "ROOT"), doc[0])
    subject = next((t for t in root.children if t.dep_ in ("nsubj", "nsubjpass")), None)
    if wh is None:
        return _Reading("", "", "", "", root.lemma_.lower(), "", False, lemmas)
    following = doc[wh.i + 1].lower_ if wh.i + 1 < len(doc) else ""
    counted = ""
    if following in ("many", "much") and doc[wh.i + 1].head.pos_ == "NOUN":
        counted = doc[wh.i + 1].head.lemma_.lower()
    return _Reading(
        wh=wh.lower_,
        following=following,
        noun=_asked_noun(wh, root),
        counted=counted,
        verb=root.lemma_.lower(),
        subject=_phrase(subject) if subject is not None and subject.i != wh.i else "",
        wh_is_object=wh.dep_ in ("dobj", "pobj", "attr", "ccomp", "oprd"),
        lemmas=lemmas,
    )


def _asked_noun(wh: Token, root: Token) -> str:
    """The noun "what" or "which" asks by: "company" in "which company", "score" in "what
    was the score", "fan" in "what was the name of the fan", past linking nouns."""
    noun: Token | None = None
    if wh.dep_ == "det" and wh.head.pos_ in ("NOUN", "PROPN"):
        noun = wh.head
    elif root.lemma_ == "be":
        noun = next((t for t in root.children if t.dep_ in ("nsubj", "attr") and t != wh), None)
    if noun is None or noun.pos_ not in ("NOUN", "PROPN"):
        return ""
    while noun.lemma_.lower() in GENERIC_HEADS:
        if noun.lemma_.lower() in CATEGORIES:
            return ""  # "what kind of state" asks for a category, not a named state
        nested = [c for p in noun.children if p.lower_ == "of" for c in p.children]
        if not nested:
            break
        noun = nested[0]
    return noun.lemma_.lower()


def _phrase(token: Token) -> str:
    """The words of `token`'s subtree, as written."""
    words = list(token.subtree)
    return token.doc[words[0].i : words[-1].i + 1].text
