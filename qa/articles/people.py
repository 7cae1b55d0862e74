"""People an article names: who they are, the shorter forms it uses, the titles it gives.

A person is what the parse names one (a `PERSON` entity of spaCy's pipeline), less the
titles the parser may take into the name (`words/titles.txt`: "Mr", "Dr", "Mayor") and a
possessive ending. Each is
known by the fullest form of their name the article gives, with the shorter forms as
aliases ("Chirac" is Jacques Chirac; "Stoltenberg" is Jens Stoltenberg), and by the words
of office written before any of them ("President Volodymyr Zelenskyy": president), so a
question may name them by title. Read once, when the article is added, and stored with
it: the question reader, the follow-up rewriter, the retriever and quote attribution all
take their people from here.

Left out: organisations (the parse's `ORG` entities, which `quotes` reads itself), and
people the parser does not recognise as such.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from qa.articles.lexicon import word_list

if TYPE_CHECKING:
    from spacy.tokens import Doc

# Initials inside a name ("Robert M. Danin", "George H.W. Bush").
INITIALS = r"(?:[A-Z]\.)+"
# "NATO’s", "Smith's": the possessive ending is not part of the name.
POSSESSIVE = re.compile(r"[’']s\b")


@dataclass(frozen=True)
class Person:
    """A person the article names, the shorter forms it uses, and the titles it gives them."""

    name: str
    aliases: tuple[str, ...]
    roles: tuple[str, ...] = ()

    def last_mention(self, text: str) -> int:
        """Where `text` last names this person, as written ("Will" is not "will"); -1 if never."""
        positions = [
            match.start() for alias in self.aliases for match in whole_word(alias).finditer(text)
        ]
        return max(positions, default=-1)

    def named_in(self, text: str) -> bool:
        """Does `text` name this person, by name or by title in any case ("the President")?"""
        if self.last_mention(text) >= 0:
            return True
        return any(whole_word(role, re.IGNORECASE).search(text) for role in self.roles)


# An answerer looks for every person in every sentence: more patterns than `re`'s own
# cache (512) holds, so they were compiled again for each article. Names recur across
# articles, so one cache for all of them.
@lru_cache(maxsize=8192)
def whole_word(words: str, flags: re.RegexFlag = re.NOFLAG) -> re.Pattern[str]:
    """`words` as a whole-word pattern, compiled once."""
    return re.compile(rf"\b{re.escape(words)}\b", flags)


TITLES = word_list("titles")


@dataclass(frozen=True)
class Named:
    """A person the parse names in a sentence: the name as written (less titles and a
    possessive ending), where, and the words of office written before it ("President")."""

    name: str
    start: int
    end: int
    roles: tuple[str, ...] = ()
    subject: bool = False  # the subject of its clause: who the sentence is about


def named_in(doc: Doc) -> tuple[Named, ...]:
    """The people a parsed sentence names, with offsets into its text.

    >>> from qa.articles.nlp import read
    >>> found = read("Ukrainian President Volodymyr Zelenskyy spoke.", named_in)
    >>> [(n.name, n.roles) for n in found]
    [('Volodymyr Zelenskyy', ('president',))]
    """
    found = []
    for entity in doc.ents:
        if entity.label_ != "PERSON":
            continue
        words = [t for t in entity if not t.is_punct and t.tag_ != "POS"]
        titles = []
        while len(words) > 1 and words[0].text.rstrip(".") in TITLES:
            titles.append(words.pop(0).lower_.rstrip("."))
        roles = tuple(
            [
                t.lower_
                for t in entity.root.children
                if t.i < entity.start
                and not t.ent_type_
                and t.pos_ in ("NOUN", "PROPN")
                and t.dep_ in ("compound", "nmod", "appos")
            ]
            + titles
        )
        start, end = words[0].idx, words[-1].idx + len(words[-1])
        subject = entity.root.dep_ in ("nsubj", "nsubjpass")
        found.append(Named(doc.text[start:end], start, end, roles, subject))
    return tuple(found)


def people_of(named: list[Named]) -> list[Person]:
    """The article's people from every naming of them, in the order they are first named,
    each under the fullest form of their name: a shorter form whose words begin or end a
    longer one is that person's alias ("Chirac" of "Jacques Chirac", "Te Kaurinui" of "Te
    Kaurinui Robert Parata"), with every role written before any of them. A surname two
    people share stays an alias of both; `quotes` reads it as the one named last.

    >>> [p.name for p in people_of([Named("Chirac", 0, 6), Named("Jacques Chirac", 9, 23)])]
    ['Jacques Chirac']
    """
    forms = list(dict.fromkeys(mention.name for mention in named))
    fullest: dict[str, str] = {}
    for form in forms:
        longer = [other for other in forms if other != form and _part_of(form, other)]
        fullest[form] = max(longer, key=lambda o: len(o.split()), default=form)
    people: dict[str, Person] = {}
    for mention in named:
        name = fullest[mention.name]
        if fullest.get(name, name) != name:
            name = fullest[name]
        tokens = name.split()
        plain = [t for t in tokens if not re.fullmatch(INITIALS, t)]
        aliases = [name, " ".join(plain), mention.name, tokens[-1], tokens[0]]
        aliases += [form for form in forms if fullest[form] == name]
        known = people.get(name)
        people[name] = Person(
            name,
            tuple(dict.fromkeys([*(known.aliases if known else ()), *aliases])),
            tuple(dict.fromkeys([*(known.roles if known else ()), *mention.roles])),
        )
    return list(people.values())


def _part_of(short: str, long: str) -> bool:
    """Do the words of `short` begin or end those of `long`?

    >>> _part_of("Chirac", "Jacques Chirac"), _part_of("Jacques", "Jacques Chirac")
    (True, True)
    >>> _part_of("Hori Parata", "Te Kaurinui Robert Parata")
    False
    """
    a, b = short.split(), long.split()
    return len(a) < len(b) and (b[: len(a)] == a or b[-len(a) :] == a)
