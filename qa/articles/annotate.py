"""Read an article once, when it is added: its sentences, who speaks in each, who it
names, and what each sentence holds that a question may ask for.

This is the whole of reading an article's text: segmenting (`segment`), one spaCy parse
of every sentence (`nlp`), read for typed mentions (`mentions`), cues of speech (`cues`)
and the people it names (`people`), and crediting quotations from those (`quotes`). What
it finds is stored with the article, so asking a question never parses an article.
`READING_VERSION` names the rules and the pipeline: a change to either makes every
stored article stale, and it is read again.

Left out: anything needing more than one article.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from qa.articles.cues import Cue, cues_of
from qa.articles.mentions import mentions_of
from qa.articles.nlp import PIPELINE_VERSION, read_each
from qa.articles.people import Named, Person, named_in, people_of
from qa.articles.quotes import ATTRIBUTION_VERSION, Rules, Voices, attribute
from qa.articles.segment import SEGMENTER, split_sentences
from qa.records import Mention, Quotation, Segment, Sentence

if TYPE_CHECKING:
    from spacy.tokens import Doc

# Bump when `mentions` changes what it finds, so stored articles are read again.
MENTIONS_VERSION = "1"
READING_VERSION = (
    f"{SEGMENTER}; speakers {ATTRIBUTION_VERSION}; mentions {MENTIONS_VERSION}; {PIPELINE_VERSION}"
)
# Entity labels an organisation's name carries: "the federation" may be one named before.
ORGANISATIONS = frozenset({"ORG", "FAC"})


@dataclass(frozen=True)
class Reading:
    """An article as read: its sentences (with speakers and mentions), the people it names
    (each under the fullest form of their name) and its quotations, each with its cue."""

    sentences: list[Sentence]
    people: list[Person]
    quotations: list[Quotation]


@dataclass(frozen=True)
class Parsed:
    """What one sentence's parse holds, with offsets into the article."""

    mentions: tuple[Mention, ...]
    cues: tuple[Cue, ...]
    named: tuple[Named, ...]


def annotate(
    text: str, segments: list[Segment] | None = None, rules: Rules | None = None
) -> Reading:
    """Read `text`; `segments` are its sentences as `split_sentences` gives them, when
    already known, and `rules` attribution's choices (the fitted ones by default).

    >>> [(s.text, s.speaker) for s in annotate("Jo Lee won. “We did it,” she said.").sentences]
    [('Jo Lee won.', None), ('“We did it,” she said.', 'Jo Lee')]
    """
    segments = segments if segments is not None else split_sentences(text)
    return read(text, segments, parse(text, segments), rules)


def parse(text: str, segments: list[Segment]) -> list[Parsed]:
    """Each sentence's parse, read for what the article keeps of it: the slow half of
    reading an article, kept apart so that attribution's choices can be tried on it."""
    return parse_each([text], [segments])[0]


def parse_each(texts: list[str], segmented: list[list[Segment]]) -> list[list[Parsed]]:
    """`parse` of several articles, their sentences through the parser together: parsed
    article by article, the 1,494 sentences of 236 SQuAD paragraphs took 6.4-7.3 CPU
    seconds, against 5.7 in the parser's full batches."""
    found = read_each(
        [
            text[s.span.start : s.span.end]
            for text, segments in zip(texts, segmented, strict=True)
            for s in segments
        ],
        _parsed,
    )
    parses, first = [], 0
    for segments in segmented:
        own = found[first : first + len(segments)]
        parses.append([_shifted(p, s.span.start) for p, s in zip(own, segments, strict=True)])
        first += len(segments)
    return parses


def annotate_each(texts: list[str], segmented: list[list[Segment]]) -> list[Reading]:
    """`annotate` of several articles, each given with its sentences, parsed together."""
    return [
        read(text, segments, parsed)
        for text, segments, parsed in zip(
            texts, segmented, parse_each(texts, segmented), strict=True
        )
    ]


def read(
    text: str, segments: list[Segment], parsed: list[Parsed], rules: Rules | None = None
) -> Reading:
    """The article as read from its sentences' parses."""
    named = [n for p in parsed for n in p.named]
    people = people_of(named)
    organisations = [
        (m.start, text[m.start : m.end])
        for p in parsed
        for m in p.mentions
        if m.kind in ORGANISATIONS
    ]
    voices = Voices([c for p in parsed for c in p.cues], people, named, organisations)
    sentences, quotations = attribute(text, segments, voices, rules)
    sentences = [
        replace(sentence, mentions=p.mentions)
        for sentence, p in zip(sentences, parsed, strict=True)
    ]
    return Reading(sentences, people, quotations)


def unread(text: str, segments: list[Segment]) -> list[Sentence]:
    """The sentences as segmented, before they are read: ids, offsets and text alone.

    >>> [(s.id, s.text) for s in unread("Hi. Bye.", split_sentences("Hi. Bye."))]
    [('s1', 'Hi.'), ('s2', 'Bye.')]
    """
    return [
        Sentence(
            f"s{s.index + 1}",
            s.index,
            s.paragraph,
            s.span.start,
            s.span.end,
            text[s.span.start : s.span.end],
        )
        for s in segments
    ]


def _parsed(doc: Doc) -> Parsed:
    return Parsed(mentions_of(doc), cues_of(doc), named_in(doc))


def _shifted(parsed: Parsed, by: int) -> Parsed:
    """A sentence's parse, with offsets into the article's text instead of its own."""
    return Parsed(
        tuple(replace(m, start=m.start + by, end=m.end + by) for m in parsed.mentions),
        tuple(cue.shifted(by) for cue in parsed.cues),
        tuple(replace(n, start=n.start + by, end=n.end + by) for n in parsed.named),
    )
