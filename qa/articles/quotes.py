"""Quote attribution: label each sentence with the person quoted in it, or as narration.

News style is handled by these rules, applied in reading order:
1. Direct speech is text inside double quotation marks (curly or straight). A quote left
   open at the end of a line continues if the next line opens with a mark; single quotes
   are nested speech and never end a quotation. A straight mark after a digit is an inch
   mark (`55"`) only when no quotation is open (`in 2019"` closes one), and a straight
   mark that opens a new sentence (`…quickly. "This`) starts a new quotation.
2. A quotation is attributed by the words around it (see `cues`): `“…,” X said`,
   `“…,” said X`, `X said: “…”`, `He added: “…”`, `“…” to do Y, X said`. A quotation
   inside narration is credited only through a verb of saying or describing and its
   subject (`X described it as “…”`, `X said the move would “…”`), `according to X` or
   `described as “…” by X`; with none, short quoted phrases are scare quotes.
3. A quotation with no cue of its own belongs to the speaker the narration just before
   it names (`X said the move was… “We believe…”`), or to the person that narration is
   about; failing both, to whoever was quoted just before it.

Names are resolved to the fullest form the article gives (see `people`, `cues`).

Left out: indirect speech ("X said that NATO…") stays narration, because putting a
paraphrase inside quotation marks would misquote the speaker; single-quote-only
house styles.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from qa.articles.cues import (
    Context,
    person_named_in,
    speaker_after,
    speaker_around,
    speaker_before,
)
from qa.articles.people import find_people
from qa.records import Segment, Sentence, Span

OPENING_MARKS = "“"
CLOSING_MARKS = "”"
STRAIGHT_MARK = '"'
ABBREVIATION = re.compile(r"\b(Mr|Mrs|Ms|Dr|St|Gen|Sen|Rep|Gov|Lt|Col|Prof|Sgt|Capt)\.")
# Bump when the rules below change what a sentence is labelled, so stored indexes rebuild.
ATTRIBUTION_VERSION = "3"
# Up to this many unpunctuated words in quotation marks, with no cue, are scare quotes.
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
    plain = _without_abbreviation_dots(text)
    context = Context(plain, find_people(text))
    quotations = _find_quotations(text)
    speech = _attribute_quotations(plain, quotations, segments, context)
    return [_label(text, segment, speech) for segment in segments]


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


def _is_utterance(text: str, quotation: _Quotation) -> bool:
    """Long, punctuated, introduced (`X said: “`) or continued quotations are speech."""
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


def _attribute_quotations(
    text: str, quotations: list[_Quotation], segments: list[Segment], context: Context
) -> list[_Quotation]:
    """Credit each quotation in reading order; return those that are speech."""
    speech: list[_Quotation] = []
    narration = _blank_quotations(text, quotations)
    heard_up_to = 0
    for quotation in quotations:
        heard_up_to = _hear_narration(narration, segments, heard_up_to, quotation.start, context)
        sentence = _sentence_around(segments, quotation.start)
        before = narration[sentence.start : quotation.start]
        cue = _cue(text, narration, quotation, segments, context, standalone=not before.strip())
        if cue is None and not _is_utterance(text, quotation):
            continue  # a scare quote: “united”, so-called “metadata”
        if cue is not None:
            quotation.speaker = cue
            _name_earlier_paragraphs(speech, quotation, cue)
        elif before.strip() and not quotation.continues_previous:
            # Spliced into a sentence with no cue: the speaker quoted just before goes on.
            spliced = _same_paragraph(text, speech, quotation)
            quotation.speaker = speech[-1].speaker if spliced else None
        else:
            quotation.speaker = _context_speaker(narration, quotation, speech, segments, context)
        context.heard(quotation.speaker)
        speech.append(quotation)
    return speech


def _cue(
    text: str,
    narration: str,
    quotation: _Quotation,
    segments: list[Segment],
    context: Context,
    standalone: bool,
) -> str | None:
    """The speaker the quotation's own sentence names, if any."""
    sentence = _sentence_around(segments, quotation.start)
    before = narration[sentence.start : quotation.start]
    last_sentence = _sentence_around(segments, max(quotation.start, quotation.end - 1))
    tail_end = _next_quotation_start(narration, quotation.end, last_sentence.end)
    tail = narration[quotation.end : tail_end] if quotation.closed else ""
    tail = tail.split("\n", 1)[0]
    found = speaker_after(tail, quotation.start, context, anywhere=standalone) if tail else None
    if found is None and before.strip():
        found = speaker_around(before, tail, quotation.start, context)
        found = found or speaker_before(before, quotation.start, context)
    return found


def _hear_narration(
    narration: str, segments: list[Segment], start: int, end: int, context: Context
) -> int:
    """Note who speaks in the narration sentences from `start` to `end` (`Unilever said
    sales fell`), so that a later `the company said` knows its company; return `end`."""
    for segment in segments:
        span = segment.span
        if (
            start <= span.start
            and span.end <= end
            and "\x01" not in narration[span.start : span.end]
        ):
            context.heard(speaker_before(narration[span.start : span.end] + " ", span.end, context))
    return max(start, end)


def _name_earlier_paragraphs(speech: list[_Quotation], quotation: _Quotation, cue: str) -> None:
    """A cue at the end of a multi-paragraph quotation names its earlier paragraphs too."""
    current = quotation
    for previous in reversed(speech):
        if not current.continues_previous:
            return
        previous.speaker = cue
        current = previous


def _context_speaker(
    narration: str,
    quotation: _Quotation,
    speech: list[_Quotation],
    segments: list[Segment],
    context: Context,
) -> str | None:
    """Who a quotation with no cue goes on from: the narration just before it, or the last
    speaker quoted."""
    previous = speech[-1] if speech else None
    if quotation.continues_previous and previous is not None:
        return previous.speaker
    since = previous.end if previous is not None else 0
    gap = [s.span for s in segments if s.span.start >= since and s.span.end <= quotation.start]
    if gap:
        last = narration[gap[-1].start : gap[-1].end]
        said = speaker_before(last + " ", gap[-1].end, context)
        named = said or person_named_in(last, context.people)
        if named is not None:
            return named
    return previous.speaker if previous is not None else None


def _same_paragraph(text: str, speech: list[_Quotation], quotation: _Quotation) -> bool:
    return bool(speech) and "\n" not in text[speech[-1].end : quotation.start]


def _sentence_around(segments: list[Segment], offset: int) -> Span:
    for segment in segments:
        if segment.span.start <= offset < segment.span.end:
            return segment.span
    return Span(offset, offset)


def _next_quotation_start(narration: str, start: int, end: int) -> int:
    """Where the next quotation begins (blanked to NUL marks), or the sentence's end."""
    found = narration.find("\x01", start, end)
    return found if found >= 0 else end


def _blank_quotations(text: str, quotations: list[_Quotation]) -> str:
    """The text with each quotation blanked out, offsets kept; its opening mark becomes
    \\x01, so narration and cues never read the quoted words."""
    chars = list(text)
    for quotation in quotations:
        for offset in range(quotation.start, quotation.end):
            chars[offset] = " " if chars[offset] != "\n" else "\n"
        chars[quotation.start] = "\x01"
    return "".join(chars)


def _without_abbreviation_dots(text: str) -> str:
    """`Mr. John Smith` reads as `Mr  John Smith` (same length), so a cue is not cut there."""
    return ABBREVIATION.sub(lambda m: m.group(1) + " ", text)


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
