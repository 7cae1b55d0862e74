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

from qa.speakers import Person

PRONOUNS = {"he": "", "she": "", "him": "", "her": "", "his": "’s", "hers": "’s"}
PRONOUN = re.compile(r"\b(he|she|him|her|his|hers)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Message:
    """One turn of a conversation, in the shape Gradio's chatbot uses."""

    role: str
    content: str


@dataclass(frozen=True)
class Rewrite:
    """The question as searched, and the person a pronoun was read as (None if unchanged)."""

    question: str
    person: str | None


def parse_history(history: object) -> list[Message]:
    """Accept `[{"role": ..., "content": ...}, ...]`; anything else is ignored, not fatal.

    Content that is not a string (files, components) carries no names and is skipped.
    """
    if not isinstance(history, list):
        return []
    messages = []
    for item in history:
        if isinstance(item, dict) and isinstance(item.get("content"), str):
            messages.append(Message(str(item.get("role", "")), item["content"]))
    return messages


def rewrite(question: str, history: list[Message], people: list[Person]) -> Rewrite:
    """Replace third-person pronouns with the person the conversation was about."""
    if not PRONOUN.search(question) or _names_anyone(question, people):
        return Rewrite(question, None)
    person = _last_person(history, people)
    if person is None:
        return Rewrite(question, None)

    def replace(match: re.Match[str]) -> str:
        return person + PRONOUNS[match.group().lower()]

    return Rewrite(PRONOUN.sub(replace, question), person)


def _names_anyone(text: str, people: list[Person]) -> bool:
    return any(_last_mention(text, person) >= 0 for person in people)


def _last_person(history: list[Message], people: list[Person]) -> str | None:
    for message in reversed(history):
        found = [(_last_mention(message.content, person), person.name) for person in people]
        named = [item for item in found if item[0] >= 0]
        if named:
            return max(named)[1]
    return None


def _last_mention(text: str, person: Person) -> int:
    positions = [
        match.start()
        for form in person.aliases
        for match in re.finditer(rf"\b{re.escape(form)}\b", text)
    ]
    return max(positions, default=-1)
