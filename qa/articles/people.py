"""People an article names: who they are, the shorter forms it uses, the titles it gives.

A person is a run of two to four capitalised words after dropping titles ("Ukrainian
President Volodymyr Zelenskyy" is "Volodymyr Zelenskyy", and whatever stands before the
last role word: "Palestinian Authority President Mahmoud Abbas" is "Mahmoud Abbas").
Middle initials stay ("Robert M. Danin"), a drop-capped opening word goes ("AS
Opposition Leader Bill Shorten"), and a run ending in an organisation's head noun
("Cranfield University", "Home Office") or starting with one ("River Thames") is not a
person. Their aliases are the full name, the name without initials, the surname and the
first name, so "Stoltenberg" is found as "Jens Stoltenberg"; their roles ("president")
let a question name them by title. The question reader, the follow-up rewriter, the
retriever and quote attribution all find people through here.

Left out: people named by one word only, and organisations (see `cues`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.articles.lexicon import NOT_NAMES, ORGANISATION_HEADS, ROLE_WORDS, TITLE_WORDS

# A capitalised word of letters, hyphens and soft hyphens ("Netan\u00adyahu", "Ngātiwai").
NAME_TOKEN = r"[A-Z](?:[^\W\d_]|[\-\u00ad])+"
# Initials inside a name ("Robert M. Danin", "George H.W. Bush"); never a run's first word.
INITIALS = r"(?:[A-Z]\.)+"
NAME_RUN = re.compile(rf"{NAME_TOKEN}(?:\s+(?:{INITIALS}\s+)?{NAME_TOKEN})*")
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
            match.start()
            for alias in self.aliases
            for match in re.finditer(rf"\b{re.escape(alias)}\b", text)
        ]
        return max(positions, default=-1)

    def named_in(self, text: str) -> bool:
        """Does `text` name this person, by name or by title in any case ("the President")?"""
        if self.last_mention(text) >= 0:
            return True
        return any(re.search(rf"\b{re.escape(r)}\b", text, re.IGNORECASE) for r in self.roles)


def find_people(text: str) -> list[Person]:
    """Return the people named in `text` by at least a first and a last name.

    >>> [p.name for p in find_people("President Volodymyr Zelenskyy’s call, said Jens Stoltenberg")]
    ['Volodymyr Zelenskyy', 'Jens Stoltenberg']
    """
    people: dict[str, Person] = {}
    plain = POSSESSIVE.sub("", text)
    for match in NAME_RUN.finditer(plain):
        run = match.group().split()
        tokens = strip_titles(run)
        if 2 <= len(tokens) <= 4 and not ORGANISATION_HEADS & {tokens[0], tokens[-1]}:
            name = " ".join(tokens)
            titles = run[: len(run) - len(tokens)]
            word_before = plain[: match.start()].split()[-1:]
            roles = [t.lower() for t in titles + word_before if ROLE_WORDS & {t, t.capitalize()}]
            known = people.get(name)
            plain_tokens = [t for t in tokens if not re.fullmatch(INITIALS, t)]
            aliases = tuple(dict.fromkeys([name, " ".join(plain_tokens), tokens[-1], tokens[0]]))
            all_roles = tuple(dict.fromkeys([*(known.roles if known else ()), *roles]))
            people[name] = Person(name, aliases, all_roles)
    return list(people.values())


def resolve_name(mention: str, people: list[Person]) -> str | None:
    """Map a mention ("Stoltenberg", "NATO chief Jens Stoltenberg") to a full name."""
    tokens = strip_titles(POSSESSIVE.sub("", mention).split())
    if not tokens:
        return None
    candidate = " ".join(tokens)
    for person in people:
        if candidate in person.aliases:
            return person.name
    return candidate if len(tokens) >= 2 else None


def strip_titles(tokens: list[str]) -> list[str]:
    """The name left once leading titles go; none if a word cannot be part of a name.

    >>> strip_titles(["Prime", "Minister", "Boris", "Johnson"]), strip_titles(["The", "NATO"])
    (['Boris', 'Johnson'], [])
    >>> strip_titles("AS Palestinian Authority President Mahmoud Abbas".split())
    ['Mahmoud', 'Abbas']
    """
    roles = [i for i, token in enumerate(tokens[:-1]) if token in ROLE_WORDS]
    if roles:
        tokens = tokens[roles[-1] + 1 :]
    while tokens and (_is_title(tokens[0]) or tokens[0].capitalize() in NOT_NAMES):
        tokens = tokens[1:]
    if any(token in NOT_NAMES or _is_acronym(token) for token in tokens):
        return []
    return tokens


def _is_title(token: str) -> bool:
    """ "Dr", "Dr.", "President" and hyphened titles ("Attorney-General", "President-elect")."""
    parts = token.rstrip(".").split("-")
    return token.rstrip(".") in TITLE_WORDS or any(p.capitalize() in TITLE_WORDS for p in parts)


def _is_acronym(token: str) -> bool:
    """ "NATO" is an acronym; "M." and "H.W." are a name's initials."""
    return token.isupper() and not re.fullmatch(INITIALS, token)
