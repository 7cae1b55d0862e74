"""Turn a follow-up question into one that stands alone, using the conversation so far.

Three readings, tried in this order on the latest user turn:
1. Ellipsis (`ellipsis`): "Where?", "Why not?", "What else?", "And the second one?" are
   completed from the previous question, itself first read this way.
2. People: "he", "she", "him", "his", "her" become the person most recently named in the
   conversation ("What alternative did he offer?" → "What alternative did Volodymyr
   Zelenskyy offer?"); only names the article or the conversation treats as people
   count (`persons`), so a storm, a film or an agency never becomes "she".
3. Things: "it", "its", "they", "them", "their" become what the previous question was
   about, its subject or else its object (`phrases`), never a single person for "they"
   nor a person or plural for "it" ("How big is it?" after "What did he call the tax
   rise?" → "How big is the tax rise?").

A question that names a person keeps its pronouns. The rewrite stays a readable question
because it is shown ("Interpreting your question as: …").

Left out: pronouns that point into an answer rather than a question ("they" for a group
the last answer named), first and second person, and "this" or "that".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from qa.answer.followup.ellipsis import complete
from qa.answer.followup.persons import people_only
from qa.answer.followup.phrases import PERSONAL, object_phrase, shape
from qa.articles.people import Person
from qa.records import Turn

PRONOUNS = {"he": "", "she": "", "him": "", "her": "", "his": "’s", "hers": "’s"}
PRONOUN = re.compile(r"\b(he|she|him|her|his|hers)\b(?=(\W*)(\w*))", re.IGNORECASE)
THING = re.compile(r"\b(it|its|they|them|their)\b", re.IGNORECASE)
THING_OBJECT = re.compile(r"\b(it|them)\b", re.IGNORECASE)
# "her" before one of these is an object ("ask her about"); before a noun, a possessive.
NOT_A_NOUN = frozenset(
    "about to for with that and or on in at by from of if when what why how is was did".split()
)
# English plurals without a final "s": never "it". Grammar, not an article's words.
PLURALS = frozenset("people children men women police staff data".split())
QUOTED = re.compile(r"“([^”]+)”")  # the engine quotes the article in curly quotes


@dataclass(frozen=True)
class Rewrite:
    """The question as searched, and how a follow-up was read.

    `person` is the person a pronoun was read as; `referent` is whatever a pronoun or an
    ellipsis was read as (a person, "the tax rise", or the previous question); `seen` are
    the passages the conversation already quoted, for "what else" to skip.
    """

    question: str
    person: str | None
    referent: str | None = None
    seen: tuple[str, ...] = field(default=())

    @property
    def changed(self) -> bool:
        """Was the question rewritten (and so worth showing)?"""
        return self.referent is not None


def rewrite(
    question: str,
    history: list[Turn],
    people: list[Person],
    article: str = "",
    things: bool = False,
) -> Rewrite:
    """Read `question` in the light of `history`; `article` is the text, when known, that
    says which names are people (without it, the conversation is the evidence).

    `things` turns on reading 3 ("it", "they"). It is off by default: measured on our own
    conversations, naming the topic pulls retrieval to the sentence that names it (in a
    one-topic article, the first), and follow-up hit@1 fell from 0.76 to 0.62."""
    previous = _previous_questions(history, people, article)
    answers = " ".join(turn.content for turn in history if turn.role == "assistant")
    reference = f"{article} {answers}"
    seen = _quoted(history) if re.search(r"\belse\b", question, re.IGNORECASE) else ()
    if previous:
        completed = complete(question, previous[0])
        if completed is not None:
            return Rewrite(completed, None, previous[0], seen)
    # Which names are people is read from the whole article and every answer: only worth
    # it when the question has a pronoun to bind.
    needed = things or PRONOUN.search(question) is not None
    persons = people_only(people, article, answers) if needed else []
    text, person = _people(question, history, persons, people)
    text, thing = _things(text, previous, persons, reference) if things else (text, None)
    referent = person or thing
    return Rewrite(text, person, referent, seen) if referent else Rewrite(question, None)


def _previous_questions(history: list[Turn], people: list[Person], article: str) -> list[str]:
    """The earlier user questions, latest first; only the latest is read as a follow-up
    (the older ones are only searched for a topic, which their own words give)."""
    found: list[str] = []
    for i in range(len(history) - 1, -1, -1):
        if history[i].role == "user":
            if not found:
                found.append(rewrite(history[i].content, history[:i], people, article).question)
            else:
                found.append(history[i].content)
    return found


def _people(
    question: str, history: list[Turn], persons: list[Person], people: list[Person]
) -> tuple[str, str | None]:
    if not PRONOUN.search(question) or any(person.named_in(question) for person in people):
        return question, None
    person = _last_person(history, persons)
    if person is None:
        return question, None

    def replace(match: re.Match[str]) -> str:
        pronoun = match.group(1).lower()
        possessive = pronoun == "her" and match.group(3) and match.group(2).isspace()
        if possessive and match.group(3).lower() not in NOT_A_NOUN:
            return person + "’s"
        return person + PRONOUNS[pronoun]

    return PRONOUN.sub(replace, question), person


def _last_person(history: list[Turn], people: list[Person]) -> str | None:
    for message in reversed(history):
        found = [(person.last_mention(message.content), person.name) for person in people]
        named = [item for item in found if item[0] >= 0]
        if named:
            return max(named)[1]
    return None


def _things(
    question: str, previous: list[str], persons: list[Person], reference: str
) -> tuple[str, str | None]:
    pronouns = THING
    if _has_own_subject(question):  # "How many people left their homes?": theirs, not ours
        pronouns = THING_OBJECT
    match = pronouns.search(question)
    if match is None:
        return question, None
    plural = match.group(1).lower() in ("they", "them", "their")
    topic = _topic(previous, persons, reference, plural)
    if topic is None:
        return question, None

    def replace(found: re.Match[str]) -> str:
        word = found.group(1)
        phrase = topic[0].upper() + topic[1:] if found.start() == 0 else topic
        return phrase + ("’s" if word.lower() in ("its", "their") else "")

    return pronouns.sub(replace, question), topic


def _has_own_subject(question: str) -> bool:
    """Does the question name its own subject, to which "its" and "their" then belong?"""
    form = shape(question)
    if form is None:
        return False
    if form.subject:
        return form.subject.lower() not in PERSONAL
    return form.rest.split()[:1] in (["many"], ["much"])  # "How many people left …"


def _topic(previous: list[str], persons: list[Person], reference: str, plural: bool) -> str | None:
    """What the latest earlier question was about that the pronoun can stand for."""
    for asked in previous:
        form = shape(asked, reference)
        if form is None:
            continue
        for phrase in (form.subject, object_phrase(form.rest, reference)):
            if phrase and _fits(phrase, persons, plural):
                return phrase
    return None


def _fits(phrase: str, persons: list[Person], plural: bool) -> bool:
    if phrase.lower() in PERSONAL or any(person.named_in(phrase) for person in persons):
        return False
    head = phrase.split()[-1].lower()
    looks_plural = head in PLURALS or (head.endswith("s") and not head.endswith("ss"))
    return plural or not looks_plural


def _quoted(history: list[Turn]) -> tuple[str, ...]:
    """The passages the assistant has already quoted."""
    return tuple(
        quote
        for turn in history
        if turn.role == "assistant"
        for quote in QUOTED.findall(turn.content)
    )
