"""People an article names: who they are, the shorter forms it uses, the titles it gives.

A person is a run of two to four capitalised words after dropping titles ("Ukrainian
President Volodymyr Zelenskyy" is "Volodymyr Zelenskyy"). Their aliases are the full
name, the surname and the first name, so "Stoltenberg" is found as "Jens Stoltenberg";
their roles ("president") let a question name them by title. The question reader, the
follow-up rewriter, the retriever and quote attribution all find people through here.

Left out: people named by one word only, and organisations (see `quotes`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.articles.lexicon import NOT_NAMES, ROLE_WORDS, TITLE_WORDS

NAME_TOKEN = r"[A-Z][a-zA-Z\-]+"
NAME_RUN = re.compile(rf"{NAME_TOKEN}(?:\s+{NAME_TOKEN})*")
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
        if 2 <= len(tokens) <= 4:
            name = " ".join(tokens)
            titles = run[: len(run) - len(tokens)]
            word_before = plain[: match.start()].split()[-1:]
            roles = [t.lower() for t in titles + word_before if t.capitalize() in ROLE_WORDS]
            known = people.get(name)
            aliases = tuple(dict.fromkeys([name, tokens[-1], tokens[0]]))
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
    """
    while tokens and (tokens[0] in TITLE_WORDS or tokens[0] in NOT_NAMES):
        tokens = tokens[1:]
    if any(token in NOT_NAMES or token.isupper() for token in tokens):
        return []
    return tokens
