"""Quote attribution: label each sentence with who is quoted in it, or as narration.

Read once, when the article is added, from the article's parse (see `cues`):
1. Direct speech is text inside double quotation marks (curly or straight). A quote left
   open at the end of a line continues if the next line opens with a mark; single quotes
   are nested speech and never end a quotation. A straight mark after a digit is an inch
   mark (`55"`) only when no quotation is open (`in 2019"` closes one), and a straight
   mark that opens a new sentence (`…quickly. "This`) starts a new quotation.
2. A quotation is credited to the subject of the verb of saying whose clause holds it
   (`“…,” X said`, `X told reporters: “…”`, `X described it as “…”`, `according to X`):
   the innermost such clause of the sentences the quotation starts and ends in. A name
   is resolved to the fullest form the article gives ("Chirac" is Jacques Chirac); a
   pronoun to the last speaker, direct or indirect, that fits (`Rules.pronoun`); "the
   company" or "the federation" to the organisation the article named so; a described
   source ("a UK Government official") is credited as described. A place, a nationality
   or a subject the parse cannot name gets no credit: none is better than a wrong one.
3. A quotation no verb governs goes on from the last speaker, direct or indirect (`X said
   the move was… “We believe…”`), within `Rules.carry` paragraphs; a multi-paragraph
   quotation whose cue ends it is credited to that cue throughout. Short quoted phrases
   with no cue are scare quotes (`Rules.scare_quote_words`).

The choices in `Rules` are fitted on folds of labelled news (`qa eval --speakers
--folds`). Left out: indirect speech ("X said that NATO…") stays narration, because
putting a paraphrase inside quotation marks would misquote the speaker; single-quote-only
house styles; two speakers in one sentence (the first is credited).
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import Literal

from qa.articles.cues import Cue
from qa.articles.people import TITLES, Named, Person
from qa.records import Quotation, Segment, Sentence, Span

OPENING_MARKS = "“"
CLOSING_MARKS = "”"
STRAIGHT_MARK = '"'
# Bump when the rules below change what a sentence is labelled, so stored indexes rebuild.
ATTRIBUTION_VERSION = "4"
# Characters past a quotation in which its cue may follow, in a sentence of its own.
FOLLOWING = 40
# Characters before a quotation read for what introduces it (`X said: “`).
LOOK_BACK = 20
# Nouns that stand for the business an article is about: "the company said".
BUSINESS_NOUNS = frozenset({"company", "firm", "group"})


@dataclass(frozen=True)
class Rules:
    """Where English leaves attribution a choice; the defaults are the fit on folds."""

    # Up to this many unpunctuated words in quotation marks, with no cue, are scare quotes.
    scare_quote_words: int = 1
    # "he" is the last speaker that fits ("speaker"), or the last person named ("named").
    pronoun: Literal["speaker", "named"] = "speaker"
    # A quotation with no cue goes on from the last speaker this many paragraphs on, at most.
    carry: int = 1
    # Indirect speech ("X said the plan…") makes X the last speaker.
    hear_indirect: bool = True
    # A short quotation is credited only by a verb before it (`X called it “a gamble”`);
    # `“united” …, X said` marks the reporter's word in X's report.
    cue_first: bool = True


@dataclass(frozen=True)
class Voices:
    """What the article's parse says about who speaks: its cues, people and organisations,
    with offsets into the article."""

    cues: list[Cue]
    people: list[Person]
    named: list[Named]  # every naming of a person, in order
    organisations: list[tuple[int, str]] = field(default_factory=list)  # (offset, name)


@dataclass
class _Quotation:
    start: int  # offset of the opening mark
    end: int  # offset just past the closing mark, or the end of the line if left open
    closed: bool
    continues_previous: bool
    speaker: str | None = None
    speech: bool = False  # someone's words, credited or not (not a scare quote)
    cue: Cue | None = None  # the verb of saying that credits it

    def inner(self, text: str) -> Span:
        start = self.start + 1
        end = self.end - (1 if self.closed else 0)
        return Span(start, max(start, end))

    def record(self) -> Quotation:
        cue = self.cue
        return Quotation(
            Span(self.start, self.end),
            self.speaker,
            cue.verb if cue else None,
            cue.subject if cue else None,
        )


def _find_quotations(text: str) -> list[_Quotation]:
    """Quoted spans, line by line: no quotation runs past a line break unless reopened."""
    quotations: list[_Quotation] = []
    line_start = 0
    for line in text.split("\n"):
        open_at: int | None = None
        for offset in range(line_start, line_start + len(line)):
            mark = text[offset]
            if mark == STRAIGHT_MARK and open_at is None and text[offset - 1 : offset].isdigit():
                continue  # 55" is a measure in inches, not a quotation mark
            if open_at is not None and _reopens(text, open_at, offset):
                # An opening mark inside an open quotation: the writer forgot to close it.
                end = len(text[:offset].rstrip())
                quotations.append(_Quotation(open_at, end, False, False))
                open_at = offset
            elif open_at is None and mark in OPENING_MARKS + STRAIGHT_MARK:
                open_at = offset
            elif open_at is not None and mark in CLOSING_MARKS + STRAIGHT_MARK:
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


def _reopens(text: str, open_at: int, offset: int) -> bool:
    """A mark that opens a sentence (`…quickly. "This`, `…quickly. “This`) opens a quotation."""
    mark = text[offset]
    if mark not in OPENING_MARKS + STRAIGHT_MARK:
        return False
    before, after = text[offset - 1 : offset], text[offset + 1 : offset + 2]
    ended = text[open_at + 1 : offset].rstrip().endswith((".", "?", "!"))
    return mark in OPENING_MARKS or (before.isspace() and after.isupper() and ended)


def _starts_line(text: str, offset: int) -> bool:
    before = offset
    while before > 0 and text[before - 1] in " \t":
        before -= 1
    return before == 0 or text[before - 1] == "\n"


def attribute(
    text: str, segments: list[Segment], voices: Voices, rules: Rules | None = None
) -> tuple[list[Sentence], list[Quotation]]:
    """Label the segments with their speakers and quoted speech; return them with every
    quotation credited."""
    quotations = _find_quotations(text)
    credits = _Crediting(text, segments, quotations, voices, rules or Rules()).run()
    speech = [q for q in credits if q.speech]
    return _labelled(text, segments, speech), [q.record() for q in speech]


@dataclass(frozen=True)
class _Speaker:
    name: str
    # "person", "organisation", "name" (either), "description" (a described person, "a UK
    # Government official") or "group" (described people, "policy makers in Europe").
    kind: str
    paragraph: int


class _Crediting:
    """Credits quotations in reading order, hearing the narration's cues between them."""

    def __init__(
        self,
        text: str,
        segments: list[Segment],
        quotations: list[_Quotation],
        voices: Voices,
        rules: Rules,
    ) -> None:
        self.text = text
        self.segments = segments
        self.quotations = quotations
        self.voices = voices
        self.rules = rules
        # Everything is looked up by offset through sorted lists and bisection, so that a
        # long article's hundreds of quotations cost each a logarithm, not a pass.
        self.inside = _Spans([q.inner(text) for q in quotations])
        self.quotation_starts = [q.start for q in quotations]
        self.sentence_starts = [s.span.start for s in segments]
        # Verbs inside quotation marks are the speaker's words, not the reporter's cues.
        self.cues = sorted(
            (c for c in voices.cues if not self.inside.holds(c.verb.start)),
            key=lambda c: c.verb.start,
        )
        self.cue_starts = [c.verb.start for c in self.cues]
        named = [n for n in voices.named if not self.inside.holds(n.start)]
        self.named, self.named_starts = named, [n.start for n in named]
        self.subjects = [n for n in named if n.subject]
        self.subject_starts = [n.start for n in self.subjects]
        self.organisations = sorted(voices.organisations)
        self.last: _Speaker | None = None
        self.heard = 0  # the cues before this index have been heard
        self.used: set[int] = set()  # cues that credited a quotation (by verb offset)

    def run(self) -> list[_Quotation]:
        for index, quotation in enumerate(self.quotations):
            self._hear_narration(self._sentence(quotation.start).start)
            self._credit(index, quotation)
        return self.quotations

    def _credit(self, index: int, quotation: _Quotation) -> None:
        cues = self._governing(quotation)
        paragraph = self._paragraph(quotation.start)
        previous = self.quotations[index - 1] if index else None
        short = not self._is_utterance(quotation)
        if cues and short and self.rules.cue_first and cues[0].verb.start > quotation.start:
            return  # `“united” …, X said`: X's report, with a word of the reporter's marked
        if cues:
            self.used.update(c.verb.start for c in cues)
            # The innermost verb first; an outer one when the inner names no one ("The
            # company said it would offer “generous” terms").
            credited = ((c, self._speaker(c, paragraph)) for c in cues)
            cue, speaker = next((p for p in credited if p[1] is not None), (cues[0], None))
            quotation.cue = cue
            if speaker is None:
                return  # verbs with no subject they can name: no credit, not a guess
            quotation.speaker, quotation.speech = speaker.name, True
            self.last = speaker
            self._name_earlier_paragraphs(index)
            return
        if quotation.continues_previous and previous is not None and previous.speech:
            quotation.speaker, quotation.speech = previous.speaker, True
            return
        if short or not self._stands_alone(quotation):
            return  # a scare quote, or words marked inside the reporter's own sentence
        quotation.speech = True
        last = self.last
        if last is not None and paragraph - last.paragraph <= self.rules.carry:
            quotation.speaker = last.name
            self.last = _Speaker(last.name, last.kind, paragraph)

    def _hear_narration(self, up_to: int) -> None:
        """Note who speaks, indirectly, in the narration's cues before `up_to`."""
        while self.heard < len(self.cues) and self.cues[self.heard].verb.start < up_to:
            cue = self.cues[self.heard]
            self.heard += 1
            if cue.verb.start in self.used or not self.rules.hear_indirect:
                continue
            speaker = self._speaker(cue, self._paragraph(cue.verb.start))
            if speaker is not None:
                self.last = speaker

    def _stands_alone(self, quotation: _Quotation) -> bool:
        """A quotation that opens its sentence, or that the sentence introduces (`…: “`),
        may go on from the last speaker; one set inside narration may not."""
        sentence = self._sentence(quotation.start)
        before = self.text[sentence.start : quotation.start].strip()
        return not before or before.endswith(":") or quotation.continues_previous

    def _governing(self, quotation: _Quotation) -> list[Cue]:
        """The cues whose clauses hold the quotation, in the sentences it starts and ends
        in, innermost first; failing those, the one that introduces or follows it."""
        first = self._sentence(quotation.start)
        last = self._sentence(max(quotation.start, quotation.end - 1))
        inner = quotation.inner(self.text)
        # A cue just past the quotation may stand in a sentence of its own (`“… ” X recalled.`).
        until = max(last.end, first.end, quotation.end + FOLLOWING)
        window = self.cues[
            bisect_left(self.cue_starts, first.start) : bisect_left(self.cue_starts, until)
        ]
        near = [
            c
            for c in window
            if not (inner.start <= c.verb.start < inner.end)
            and not self._between_other_quotation(c, quotation)
        ]
        holding = [
            c
            for c in near
            if c.verb.start < max(last.end, first.end)
            and c.governs.start < inner.end
            and inner.start < c.governs.end
        ]
        if holding:
            return sorted(holding, key=lambda c: (c.governs.end - c.governs.start, _gap(c, inner)))
        # The parser may leave a quotation outside its verb's clause: then a cue that
        # introduces it (`X told the crowd: “…”`) or that follows it (`“…,” X said`).
        tied = [c for c in near if self._introduces(c, quotation) or self._follows(c, inner)]
        return sorted(tied, key=lambda c: _gap(c, inner))[:1]

    def _introduces(self, cue: Cue, quotation: _Quotation) -> bool:
        between = self.text[cue.verb.end : quotation.start]
        return cue.verb.end <= quotation.start and between.rstrip().endswith((":", ","))

    def _follows(self, cue: Cue, inner: Span) -> bool:
        """`“…,” X said`: a quotation that does not end its sentence, then its cue."""
        said = self.text[inner.start : inner.end].rstrip()
        trails_off = said.endswith(("...", "…"))
        return inner.end <= cue.verb.start and (trails_off or not said.endswith("."))

    def _between_other_quotation(self, cue: Cue, quotation: _Quotation) -> bool:
        """Does another quotation open between the cue and this one?"""
        low, high = sorted((cue.verb.start, quotation.start))
        return (
            bisect_left(self.quotation_starts, high) - bisect_right(self.quotation_starts, low) > 0
        )

    def _speaker(self, cue: Cue, paragraph: int) -> _Speaker | None:
        if cue.kind == "pronoun":
            return self._pronoun(cue, paragraph)
        if cue.kind == "name":
            return self._name(cue.said_by, cue.label, cue.verb.start, paragraph)
        if cue.kind == "description":
            person = self._person(cue.said_by, cue.verb.start)  # a name the parser missed
            if person is not None:
                return _Speaker(person, "person", paragraph)
            return self._described(cue.said_by, cue.label == "plural", cue.verb.start, paragraph)
        return None

    def _pronoun(self, cue: Cue, paragraph: int) -> _Speaker | None:
        """ "he" or "she" is a person, "it" or "they" an organisation: the last speaker
        that may be one, or the last person named before the cue, as the rules say."""
        wanted = cue.label
        last = self.last
        fitting = {
            "person": ("person", "name", "description"),
            "organisation": ("organisation", "name", "group"),
        }
        fits = last is not None and last.kind in fitting.get(wanted, ())
        named = self._last_named(cue.verb.start) if wanted == "person" else None
        if self.rules.pronoun == "named" and named is not None:
            return _Speaker(named, "person", paragraph)
        if fits and last is not None:
            return _Speaker(last.name, last.kind, paragraph)
        return _Speaker(named, "person", paragraph) if named else None

    def _last_named(self, before: int) -> str | None:
        """The person the narration is about: the last one named as a clause's subject
        before `before`, outside quotation marks, or else the last one named at all."""
        subject = bisect_left(self.subject_starts, before)
        if subject:
            return self._person(self.subjects[subject - 1].name, before)
        named = bisect_left(self.named_starts, before)
        return self._person(self.named[named - 1].name, before) if named else None

    def _name(self, said_by: str, label: str, at: int, paragraph: int) -> _Speaker | None:
        name = _without_titles(said_by)
        person = self._person(name, at)
        if person is not None:
            return _Speaker(person, "person", paragraph)
        if label in ("ORG", "FAC"):
            return _Speaker(_organisation(name), "organisation", paragraph)
        if not label:
            return _Speaker(name, "name", paragraph)  # a name the parser gave no label
        return None  # a place, a nationality: never a speaker

    def _person(self, name: str, at: int) -> str | None:
        """The fullest name of the person `name` names, if the article names a person so;
        of two who share it (a surname), the one named last before `at`."""
        people = [p for p in self.voices.people if name in p.aliases]
        if len(people) > 1:
            for mention in reversed(self.named[: bisect_left(self.named_starts, at)]):
                chosen = [p for p in people if mention.name in p.aliases and mention.name != name]
                if chosen:
                    return chosen[0].name
        return people[0].name if people else None

    def _described(self, said_by: str, plural: bool, at: int, paragraph: int) -> _Speaker | None:
        """A described source: "a UK Government official" as described; "the federation",
        "the company", "the official" as whom the article named so before."""
        words = said_by.split()
        kind = "group" if plural else "description"
        if words[0].lower() not in ("the", "this", "that"):
            if not any(w[:1].isupper() for w in words[1:]):
                return None  # "analysts", "Some critics": no one a reader could check
            return _Speaker(said_by, kind, paragraph)
        head = words[-1].lower()
        last = self.last
        if last is not None and head in last.name.lower().split():
            return _Speaker(last.name, last.kind, paragraph)
        office = [p for p in self.voices.people if head in p.roles]
        if office:  # "the foreign secretary": the person the article gave that office
            return _Speaker(self._person(office[0].name, at) or office[0].name, "person", paragraph)
        named = [name for _, name in self.organisations[: bisect_left(self.organisations, (at,))]]
        matching = [name for name in named if head in name.lower().split()]
        if matching:
            return _Speaker(_organisation(matching[-1]), "organisation", paragraph)
        if head in BUSINESS_NOUNS and last is not None and last.kind == "organisation":
            return _Speaker(last.name, last.kind, paragraph)
        if head in BUSINESS_NOUNS and named:
            return _Speaker(_organisation(max(named, key=named.count)), "organisation", paragraph)
        return None

    def _is_utterance(self, quotation: _Quotation) -> bool:
        """Long, punctuated, introduced (`X said: “`) or continued quotations are speech."""
        inner = quotation.inner(self.text)
        said = self.text[inner.start : inner.end]
        before = self.text[max(0, quotation.start - LOOK_BACK) : quotation.start]
        introduced = before.rstrip().endswith((":", ","))
        punctuated = said.rstrip().endswith((",", ".", "?", "!", "…"))
        return (
            len(said.split()) > self.rules.scare_quote_words
            or introduced
            or punctuated
            or quotation.continues_previous
        )

    def _name_earlier_paragraphs(self, index: int) -> None:
        """A cue at the end of a multi-paragraph quotation names its earlier paragraphs too."""
        quotation = self.quotations[index]
        while index and self.quotations[index].continues_previous:
            index -= 1
            self.quotations[index].speaker = quotation.speaker
            self.quotations[index].speech = True

    def _segment(self, offset: int) -> Segment | None:
        """The sentence holding `offset`, if one does."""
        index = bisect_right(self.sentence_starts, offset) - 1
        if index >= 0 and offset < self.segments[index].span.end:
            return self.segments[index]
        return None

    def _sentence(self, offset: int) -> Span:
        segment = self._segment(offset)
        return segment.span if segment is not None else Span(offset, offset)

    def _paragraph(self, offset: int) -> int:
        segment = self._segment(offset)
        if segment is not None:
            return segment.paragraph
        return self.segments[-1].paragraph if self.segments else 0


class _Spans:
    """Sorted, non-overlapping spans, asked whether they hold an offset."""

    def __init__(self, spans: list[Span]) -> None:
        self.spans = sorted(spans, key=lambda span: span.start)
        self.starts = [span.start for span in self.spans]

    def holds(self, offset: int) -> bool:
        index = bisect_right(self.starts, offset) - 1
        return index >= 0 and offset < self.spans[index].end


def _gap(cue: Cue, inner: Span) -> int:
    """Characters between a cue's verb and the quotation."""
    return max(inner.start - cue.verb.end, cue.verb.start - inner.end, 0)


def _without_titles(name: str) -> str:
    words = re.sub(r"[’']s$", "", name.strip()).split()
    while len(words) > 1 and words[0].rstrip(".") in TITLES:
        words = words[1:]
    return " ".join(words)


def _organisation(name: str) -> str:
    """An organisation keeps the name the article gives it, less an opening "the"."""
    return re.sub(r"^[Tt]he\s+", "", name.strip())


def _labelled(text: str, segments: list[Segment], speech: list[_Quotation]) -> list[Sentence]:
    """Each sentence with the first quotation that speaks in it: quotations and sentences
    are both in reading order, so one pass over each."""
    sentences = []
    first = 0  # the first quotation that may still reach the sentence
    for segment in segments:
        span = segment.span
        while first < len(speech) and speech[first].inner(text).end <= span.start:
            first += 1
        speaker: str | None = None
        spoken: Span | None = None
        for quotation in speech[first:]:
            inner = quotation.inner(text)
            if inner.start >= span.end:
                break
            start, end = max(inner.start, span.start), min(inner.end, span.end)
            if start < end and text[start:end].strip():
                speaker = quotation.speaker
                spoken = _trim(text, Span(start, end)) if speaker else None
                break
        sentences.append(
            Sentence(
                id=f"s{segment.index + 1}",
                index=segment.index,
                paragraph=segment.paragraph,
                start=span.start,
                end=span.end,
                text=text[span.start : span.end],
                speaker=speaker,
                speech=spoken,
            )
        )
    return sentences


def _trim(text: str, span: Span) -> Span:
    """Drop surrounding spaces and a trailing comma, which belong to the attribution."""
    start, end = span.start, span.end
    while start < end and text[start] in ' \t\n“"':
        start += 1
    while end > start and text[end - 1] in ' \t\n,”"':
        end -= 1
    return Span(start, end)
