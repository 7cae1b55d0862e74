"""Cues: who a stretch of narration says is speaking, by the conventions of news writing.

A cue is a verb of saying, writing or describing and its subject: `X said`, `said X`,
`X, a senior fellow at Y, said`, `X described the step as`, `X posted … asking`,
`the company said` (the business the article named as speaking before), `the federation
said` (the "Police Federation" it named), `which it describes as` (the organisation the
sentence opens with), `according to X`, `described as … by X`, and `he`/`she` (the last
person named). Names resolve to the fullest form the article gives (see `people`); an
organisation keeps the name the article gives it.

Left out: which quotation a cue belongs to (see `quotes`), coreference beyond he, she,
it, which and who, and anything needing a parse of clauses within clauses.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from qa.articles.lexicon import NOT_NAMES
from qa.articles.people import NAME_RUN, POSSESSIVE, Person, resolve_name, strip_titles

# Finite verbs of saying, writing and describing ("pointed out" is one verb here).
SPEECH_VERBS = (
    "said|says|say|added|adds|stressed|stresses|told|tells|asked|asks|noted|notes|warned|"
    "warns|explained|explains|continued|insisted|insists|argued|argues|declared|wrote|writes|"
    "replied|responded|urged|urges|offered|repeated|announced|admitted|claimed|claims|"
    "recalled|concluded|acknowledged|emphasised|emphasized|remarked|stated|states|tweeted|"
    "posted|reads|described|describes|called|calls|dubbed|termed|reported|reports|"
    "pointed out|points out|put it|puts it"
)
# Participles that make a clause speak for its subject: `X defended it, saying "…"`.
SPEECH_GERUNDS = (
    "saying|asking|adding|telling|warning|calling|describing|reporting|writing|insisting|"
    "arguing|claiming|noting|stating|tweeting|declaring"
)
# Whole words only, and not after a hyphen: "so-called “metadata”" is nobody's speech.
VERB = re.compile(rf"(?<![\w-])(?:{SPEECH_VERBS})\b")
GERUND = re.compile(rf"(?<![\w-])(?:{SPEECH_GERUNDS})\b")
# A passive description names its speaker only with "by": "described as “…” by X".
PASSIVE = re.compile(r"\b(?:is|are|was|were|be|been|being)\s+(?:\w+ly\s+)?(?:\w+ed)\s*$")
# "…, according to the New Zealand Department of Conservation."
ACCORDING_TO = re.compile(r"\b[Aa]ccording to\s+(?P<who>[^,.;:!?—–()]+)")
# The agent just after a passive quotation: "… as “heartbreaking” by the department".
BY_AGENT = re.compile(r"^\s*by\s+(?P<who>[^,.;:!?—–()]+)")
# Words between a subject and its verb: `X also said`, `X has pointed out`, `X strongly warned`.
BETWEEN = re.compile(r"(?:\s+(?:also|has|have|had|then|later|once|again|\w+ly))*\s*$")
# An organisation's name may join capitalised runs with these ("Committee on Intelligence").
ORG = rf"{NAME_RUN.pattern}(?:\s+(?:of|on|for|and)\s+(?:the\s+)?{NAME_RUN.pattern})*"
# A subject as news writes it: a name or an organisation (possibly "X’s Y party"), a
# pronoun, a relative pronoun, or "the" and a noun ("the company", "the federation").
WHO = (
    rf"(?:(?:{NAME_RUN.pattern})[’']s\s+)?(?:the\s+)?{ORG}(?:\s+[a-z]+)?"
    r"|\b(?:he|she|He|She|it|It|they|which|who)\b|\b(?:the|The)\s+[a-z]+"
)
# The subject that ends the words before a verb: "Police Federation chairman Jan Berry".
CAPITAL_AFTER_BOUNDARY = re.compile(r"\b[A-Z]")
SUBJECT_AT_END = re.compile(rf"(?P<who>{WHO})\s*$")
# Prepositions: a name after one is an object ("posted to Twitter"), not a subject.
PREPOSITIONS = frozenset(
    "to from in on at by with of for about into over under after before against between "
    "through".split()
)
# Nouns a report uses for a business it has already named as speaking ("the company").
BUSINESS_NOUNS = frozenset({"company", "firm", "group"})


@dataclass
class Context:
    """What the article has said so far: its people, and the organisations heard from."""

    text: str
    people: list[Person]
    organisations: list[str] = field(default_factory=list)

    def main_organisation(self) -> str:
        """The organisation heard from most often (the latest on a tie): "the company"."""
        heard = self.organisations
        return max(reversed(heard), key=heard.count)

    def heard(self, speaker: str | None) -> None:
        """Remember an organisation that spoke, for a later `the company said`."""
        if speaker and not any(speaker == p.name for p in self.people):
            self.organisations.append(speaker)


def speaker_before(narration: str, offset: int, context: Context) -> str | None:
    """Who the last cue in `narration` (text before a quotation, ending at `offset`) names.

    >>> ctx = Context("", [])
    >>> speaker_before("IBM described the step as a ", 0, ctx)
    'IBM'
    """
    verbs = [(m, False) for m in VERB.finditer(narration)]
    verbs += [(m, True) for m in GERUND.finditer(narration)]
    for match, gerund in sorted(verbs, key=lambda v: -v[0].start()):
        head = narration[: match.start()]
        if PASSIVE.search(head + match.group()):
            continue  # "was described as": the agent, if any, follows the quotation
        who = _gerund_subject(head) if gerund else _subject(head)
        if who is not None:
            return resolve(who, offset, narration, context)
    return None


def speaker_around(before: str, after: str, offset: int, context: Context) -> str | None:
    """`described as “…” by X` (`after` starts past the quotation), or `according to X`."""
    agent = BY_AGENT.match(after)
    if agent and re.search(rf"(?:{SPEECH_VERBS})\s+as\s*$", before.rstrip("\x01 ")):
        return resolve(agent.group("who").strip(), offset, before, context)
    according = ACCORDING_TO.search(before) or ACCORDING_TO.search(after)
    if according:
        return resolve(according.group("who").strip(), offset, before, context)
    return None


def speaker_after(tail: str, offset: int, context: Context, anywhere: bool) -> str | None:
    """`“…,” X said`, `“…,” said X, title of Y`; with `anywhere`, `“…” to do Y, X said`."""
    subject_first = re.match(
        rf"\s*,?\s*(?:\S+\s+){{0,4}}?(?P<who>{WHO})\s+(?:also\s+)?(?:{SPEECH_VERBS})\b", tail
    ) or (
        re.search(rf",\s*(?P<who>{WHO})\s+(?:also\s+)?(?:{SPEECH_VERBS})\b", tail)
        if anywhere
        else None
    )
    verb_first = re.match(rf"\s*,?\s*(?:{SPEECH_VERBS})\s+(?:\S+\s+){{0,3}}?(?P<who>{WHO})", tail)
    match = subject_first or verb_first
    return resolve(match.group("who"), offset, tail, context) if match else None


def _subject(head: str) -> str | None:
    """The subject just before a finite verb; past an appositive (`X, a fellow at Y, said`)."""
    head = BETWEEN.sub("", head)
    if head.rstrip().endswith(","):
        chunks = re.split(r",\s*", _clause(head))
        return next((c for c in chunks if re.fullmatch(WHO, c.strip())), None)
    match = SUBJECT_AT_END.search(head)
    if match and match.group("who") in ("which", "who"):
        return _subject(head[: match.start()].rstrip().rstrip(","))  # the antecedent
    return match.group("who") if match else None


def _gerund_subject(head: str) -> str | None:
    """`…, which tried … by saying`: the antecedent; else the last name not after a preposition."""
    relative = list(re.finditer(r",\s*(?:which|who)\b", head))
    if relative:
        return _subject(head[: relative[-1].start()])
    names = [
        m.group()
        for m in NAME_RUN.finditer(head)
        if head[: m.start()].split()[-1:] not in ([p] for p in PREPOSITIONS)
    ]
    candidates = [n for n in names if strip_titles(n.split()) or n.isupper()]
    return candidates[-1] if candidates else None


def _clause(text: str) -> str:
    """The last sentence of `text`, so an appositive search does not reach the one before."""
    return re.split(r"[.!?;:]\s+", text.rstrip())[-1]


def resolve(who: str, offset: int, text: str, context: Context) -> str | None:
    """A subject as written (`he`, `the company`, `Ms Berry`, `IBM`) to the name it refers to."""
    who = who.strip()
    word = who.lower()
    if word in ("he", "she"):
        return last_person_before(context.text, offset, context.people)
    if word in ("it", "they", "which", "who"):
        opening = re.match(rf"\s*(?:[A-Z][a-z]*,?\s+)??(?P<who>{WHO})", _clause(text))
        first = opening.group("who") if opening else ""
        if first and first.lower() not in ("it", "they", "which", "who", "he", "she"):
            return resolve(first, offset, text, context)
        return context.organisations[-1] if context.organisations else None
    generic = re.fullmatch(r"(?:the|The)\s+(?:[a-z]+\s+)*([a-z]+)", who)
    if generic:
        return _organisation_noun(generic.group(1), offset, text, context)
    person = resolve_name(who, context.people)
    if person is not None and any(person == p.name for p in context.people):
        return person
    return _organisation(who, context.text)


def _organisation_noun(noun: str, offset: int, text: str, context: Context) -> str | None:
    """`the federation` is the named "Police Federation"; `the company` the last one heard."""
    lines = context.text[:offset].split("\n")
    named = [
        m.group()
        for line in lines
        for m in re.finditer(ORG, line)
        if noun.capitalize() in m.group().split()
    ]
    if named:
        return _organisation(named[-1], context.text)
    if noun in BUSINESS_NOUNS and context.organisations:
        return context.main_organisation()
    if noun in BUSINESS_NOUNS:
        # "Velora Motors will cut jobs, the company said": the organisation the clause opens with.
        opening = re.match(rf"\s*(?:[A-Z][a-z]*,?\s+)??(?P<who>{ORG})", _clause(text))
        named_first = _organisation(opening.group("who"), context.text) if opening else None
        if named_first is not None:
            context.organisations.append(named_first)
        return named_first
    return None


def _organisation(who: str, text: str) -> str | None:
    """An organisation keeps its own name, without opening words or a person's titles."""
    tokens = who.split()
    while tokens and (tokens[0].capitalize() in NOT_NAMES or tokens[0] == "the"):
        tokens = tokens[1:]
    stripped = strip_titles(tokens) if len(tokens) > 1 else tokens
    tokens = stripped or tokens
    if tokens and not any(t[:1].isupper() for t in tokens):
        return None  # "the government" names no one the article has named
    if len(tokens) > 1 and tokens[-1].islower():
        tokens = tokens[:-1]  # "Vulture magazine" is "Vulture"; "Likud party" is "Likud"
    if len(tokens) > 1 and POSSESSIVE.search(tokens[0]):
        tokens = tokens[1:]  # "Netanyahu’s Likud" is Likud, not Netanyahu
    if len(tokens) == 1 and not _is_proper_noun(tokens[0], text):
        return None  # "Critics said", "Talking to reporters": a word, not a name
    return " ".join(tokens) or None


def _is_proper_noun(word: str, text: str) -> bool:
    """An acronym, or a word the article capitalises mid-sentence and never writes in lower case.

    >>> _is_proper_noun("Critics", "Critics said so. Some critics agreed."), _is_proper_noun(
    ...     "Unilever", "Unilever said so. Shares in Unilever fell.")
    (False, True)
    """
    if word.isupper():
        return True
    if re.search(rf"\b{re.escape(word.lower())}\b", text):
        return False
    return re.search(rf"[\w,;]\s+{re.escape(word)}\b", text) is not None


def last_person_before(text: str, position: int, people: list[Person]) -> str | None:
    """The person most recently named outside quotation marks before `position`; of two
    named at the same place ("Jo Lee" and "Jo Park" as "Jo"), the one listed first.

    Every alias starts with a capital letter after a word boundary, so only those places
    are tried, from the last back, each against the aliases starting with its first two
    letters: a long article's hundreds of people are not each searched for across it.
    """
    narration = outside_quotes(text[:position])
    aliases: dict[str, list[tuple[int, re.Pattern[str]]]] = {}
    for index, person in enumerate(people):
        for alias in person.aliases:
            aliases.setdefault(alias[:2], []).append((index, _whole(alias)))
    for start in reversed([m.start() for m in CAPITAL_AFTER_BOUNDARY.finditer(narration)]):
        here = aliases.get(narration[start : start + 2], [])
        found = [index for index, alias in here if alias.match(narration, start)]
        if found:
            return people[min(found)].name
    return None


@functools.lru_cache(maxsize=4096)
def _whole(alias: str) -> re.Pattern[str]:
    """`alias` as written, as whole words, as `Person.last_mention` finds it."""
    return re.compile(rf"\b{re.escape(alias)}\b")


def person_named_in(narration: str, people: list[Person]) -> str | None:
    """The first person a stretch of narration names, by any form of their name."""
    for match in NAME_RUN.finditer(narration):
        for start in range(len(match.group().split())):
            name = resolve_name(" ".join(match.group().split()[start:]), people)
            if name is not None and any(name == p.name for p in people):
                return name
    return None


def outside_quotes(text: str) -> str:
    """Blank out quoted speech so that names inside quotes do not count as mentions."""
    return re.sub(r"“[^”]*(”|$)|\"[^\"]*(\"|$)", lambda m: " " * len(m.group()), text, flags=re.M)
