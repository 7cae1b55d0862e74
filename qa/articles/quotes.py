"""Quote attribution: label each sentence with the person quoted in it, or as narration.

News style is handled by three rules, applied in reading order:
1. Direct speech is text inside double quotation marks (curly or straight). A quote left
   open at the end of a line continues if the next line opens with a mark; single quotes
   are nested speech and never end a quotation; `55"` is inches, not a quote.
2. A quotation is attributed by the words around it: `“…,” X said`, `“…,” said X`,
   `X said: “…”`, `He added: “…”` (he or she is the last person named outside quotes).
   A quotation inside narration belongs to that sentence's subject (`X called it “…”`).
   A cue that names an organisation credits it (`“…,” the Kremlin said`). A quotation
   standing alone with no cue belongs to whoever was quoted just before it.
3. Short unpunctuated quoted phrases inside narration (“united”) are scare quotes.

Names are resolved to the fullest form the article gives (see `people`).

Left out: indirect speech ("X said that NATO…") stays narration, because putting a
paraphrase inside quotation marks would misquote the speaker; single-quote-only
house styles.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from qa.articles.lexicon import NOT_NAMES
from qa.articles.people import NAME_RUN, POSSESSIVE, Person, find_people, resolve_name
from qa.records import Segment, Sentence, Span

OPENING_MARKS = '“"'
CLOSING_MARKS = '”"'
SPEECH_VERBS = (
    "said|says|added|adds|stressed|stresses|told|tells|asked|asks|noted|notes|warned|warns|"
    "explained|explains|continued|insisted|insists|argued|argues|declared|wrote|writes|"
    "replied|responded|urged|urges|offered|repeated|announced|admitted|claimed|claims|"
    "recalled|concluded|acknowledged|emphasised|emphasized|remarked|stated|tweeted|posted"
)
ABBREVIATION = re.compile(r"\b(Mr|Mrs|Ms|Dr|St|Gen|Sen|Rep|Gov|Lt|Col|Prof|Sgt|Capt)\.")
# Bump when the rules below change what a sentence is labelled, so stored indexes rebuild.
ATTRIBUTION_VERSION = "2"
SCARE_QUOTE_MAX_WORDS = 3


@dataclass
class _Quotation:
    start: int  # offset of the opening mark
    end: int  # offset just past the closing mark, or the end of the line if left open
    closed: bool
    continues_previous: bool
    speaker: str | None = None

    def inner(self, text: str) -> Span:
        start = self.start + 1
        end = self.end - (1 if self.closed else 0)
        return Span(start, max(start, end))


def attribute(text: str, segments: list[Segment]) -> list[Sentence]:
    """Turn segments into sentences labelled with their speaker and quoted speech."""
    people = find_people(text)
    quotations = _find_quotations(text)
    speech = [q for q in quotations if _is_speech(text, q)]
    _attribute_quotations(text, speech, people)
    return [_label(text, segment, speech) for segment in segments]


def _find_quotations(text: str) -> list[_Quotation]:
    """Quoted spans, line by line: no quotation runs past a line break unless reopened."""
    quotations: list[_Quotation] = []
    line_start = 0
    for line in text.split("\n"):
        open_at: int | None = None
        for offset in range(line_start, line_start + len(line)):
            mark = text[offset]
            if offset > 0 and text[offset - 1].isdigit() and mark == '"':
                continue  # 55" is a measure in inches, not a quotation mark
            if open_at is None and mark in OPENING_MARKS:
                open_at = offset
            elif open_at is not None and mark in CLOSING_MARKS:
                quotations.append(_Quotation(open_at, offset + 1, True, False))
                open_at = None
        if open_at is not None:
            end = line_start + len(line.rstrip())
            quotations.append(_Quotation(open_at, max(end, open_at + 1), False, False))
        line_start += len(line) + 1
    # A quotation left open at a line's end goes on in the next line's opening quote.
    for previous, current in itertools.pairwise(quotations):
        if not previous.closed and _starts_line(text, current.start):
            current.continues_previous = True
    return quotations


def _starts_line(text: str, offset: int) -> bool:
    before = offset
    while before > 0 and text[before - 1] in " \t":
        before -= 1
    return before == 0 or text[before - 1] == "\n"


def _is_speech(text: str, quotation: _Quotation) -> bool:
    inner = quotation.inner(text)
    words = text[inner.start : inner.end].split()
    introduced = text[: quotation.start].rstrip().endswith((":", ","))
    # “The offer stands,” said X: punctuation inside the marks makes it an utterance.
    punctuated = text[inner.start : inner.end].rstrip().endswith((",", ".", "?", "!", "…"))
    return (
        len(words) > SCARE_QUOTE_MAX_WORDS
        or introduced
        or punctuated
        or quotation.continues_previous
    )


@dataclass(frozen=True)
class _Cue:
    """Words around a quotation that say who spoke; `speaker` is None if they cannot tell."""

    speaker: str | None


def _attribute_quotations(text: str, speech: list[_Quotation], people: list[Person]) -> None:
    previous_speaker: str | None = None
    for position, quotation in enumerate(speech):
        cue = _cue_after(text, quotation, people) or _cue_before(text, quotation, people)
        if cue is not None:
            quotation.speaker = cue.speaker
            # A cue at the end of a multi-paragraph quotation names its earlier paragraphs too.
            back = position
            while back > 0 and speech[back].continues_previous:
                back -= 1
                speech[back].speaker = cue.speaker
        elif quotation.continues_previous and position > 0:
            quotation.speaker = speech[position - 1].speaker
        elif not _narration_before(text, quotation).strip():
            # A quotation standing alone, with no cue, goes on from the last speaker.
            quotation.speaker = previous_speaker
        previous_speaker = quotation.speaker


def _cue_after(text: str, quotation: _Quotation, people: list[Person]) -> _Cue | None:
    """`“…,” Stoltenberg said`, `“…,” said NATO chief Jens Stoltenberg`, `“…,” the Kremlin said`."""
    if not quotation.closed:
        return None
    tail = _without_abbreviation_dots(text[quotation.end :].split("\n", 1)[0])
    tail = re.split(r"[.!?;“\"]", tail, maxsplit=1)[0]
    subject_first = re.match(
        rf"\s*,?\s*(?:\S+\s+){{0,4}}?(?P<who>{NAME_RUN.pattern}|he|she|He|She)\s+(?:also\s+)?"
        rf"(?:{SPEECH_VERBS})\b",
        tail,
    )
    verb_first = re.match(
        rf"\s*,?\s*(?:{SPEECH_VERBS})\s+(?:\S+\s+){{0,4}}?(?P<who>{NAME_RUN.pattern})", tail
    )
    match = subject_first or verb_first
    return _Cue(_resolve(text, match.group("who"), quotation.start, people)) if match else None


def _cue_before(text: str, quotation: _Quotation, people: list[Person]) -> _Cue | None:
    """`X said: “…”`, `In a statement, X said: “…”`, `He added: “…”`, `X called it “…”`."""
    head = _without_abbreviation_dots(_narration_before(text, quotation))
    if not head.strip():
        return None
    if head.rstrip().endswith((":", ",")):
        speaking = list(
            re.finditer(
                rf"(?P<who>{NAME_RUN.pattern}|He|She|he|she)\s+(?:also\s+)?(?:{SPEECH_VERBS})\b",
                head,
            )
        )
        if speaking:
            return _Cue(_resolve(text, speaking[-1].group("who"), quotation.start, people))
    # A quotation inside a sentence of narration is the words of that sentence's subject.
    subject = re.match(rf"\s*(?P<who>{NAME_RUN.pattern}|He|She)\b", head)
    who = subject.group("who") if subject else None
    return _Cue(_resolve(text, who, quotation.start, people) if who else None)


def _narration_before(text: str, quotation: _Quotation) -> str:
    """The words of the quotation's own sentence that come before its opening mark."""
    line_start = text.rfind("\n", 0, quotation.start) + 1
    return re.split(r"[.!?”\"]\s", text[line_start : quotation.start])[-1]


def _without_abbreviation_dots(text: str) -> str:
    """`Mr. John Smith` reads as `Mr John Smith`, so a cue is not cut at the title's dot."""
    return ABBREVIATION.sub(r"\1", text)


def _resolve(text: str, who: str, position: int, people: list[Person]) -> str | None:
    if who.lower() in ("he", "she"):
        return _last_person_before(text, position, people)
    return resolve_name(who, people) or _organisation(who)


def _organisation(who: str) -> str | None:
    """`the Kremlin said`, `NATO said`: a speaker that is not a person keeps its own name."""
    tokens = [t for t in POSSESSIVE.sub("", who).split() if t not in NOT_NAMES]
    return " ".join(tokens) or None


def _last_person_before(text: str, position: int, people: list[Person]) -> str | None:
    narration = _outside_quotes(text[:position])
    named = [(person.last_mention(narration), person.name) for person in people]
    position_and_name = max(named, default=(-1, ""))
    return position_and_name[1] if position_and_name[0] >= 0 else None


def _outside_quotes(text: str) -> str:
    """Blank out quoted speech so that names inside quotes do not count as mentions."""
    return re.sub(r"“[^”]*(”|$)|\"[^\"]*(\"|$)", lambda m: " " * len(m.group()), text, flags=re.M)


def _label(text: str, segment: Segment, speech: list[_Quotation]) -> Sentence:
    span = segment.span
    speaker: str | None = None
    spoken: Span | None = None
    for quotation in speech:
        inner = quotation.inner(text)
        start, end = max(inner.start, span.start), min(inner.end, span.end)
        if start < end and text[start:end].strip():
            speaker = quotation.speaker
            spoken = _trim(text, Span(start, end)) if speaker else None
            break
    return Sentence(
        id=f"s{segment.index + 1}",
        index=segment.index,
        paragraph=segment.paragraph,
        start=span.start,
        end=span.end,
        text=text[span.start : span.end],
        speaker=speaker,
        speech=spoken,
    )


def _trim(text: str, span: Span) -> Span:
    """Drop surrounding spaces and a trailing comma, which belong to the attribution."""
    start, end = span.start, span.end
    while start < end and text[start] in ' \t\n“"':
        start += 1
    while end > start and text[end - 1] in ' \t\n,”"':
        end -= 1
    return Span(start, end)
