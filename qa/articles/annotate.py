"""Read an article once, when it is added: its sentences, who speaks in each, and what each
holds that a question may ask for.

This is the whole of reading an article's text: segmenting (`segment`), crediting
quotations (`quotes`) and parsing every sentence with spaCy (`nlp`) for its typed
mentions (`mentions`). What it finds is stored with the article, so asking a question
never parses an article again. `READING_VERSION` names the rules and the pipeline: a
change to either makes every stored article stale, and it is read again.

Left out: anything needing more than one article.
"""

from __future__ import annotations

from dataclasses import replace

from qa.articles.mentions import mentions_of
from qa.articles.nlp import PIPELINE_VERSION, read_each
from qa.articles.quotes import ATTRIBUTION_VERSION, attribute
from qa.articles.segment import SEGMENTER, split_sentences
from qa.records import Mention, Segment, Sentence

# Bump when `mentions` changes what it finds, so stored articles are read again.
MENTIONS_VERSION = "1"
READING_VERSION = (
    f"{SEGMENTER}; speakers {ATTRIBUTION_VERSION}; mentions {MENTIONS_VERSION}; {PIPELINE_VERSION}"
)


def annotate(text: str, segments: list[Segment] | None = None) -> list[Sentence]:
    """The sentences of `text`, in order, with their speakers and typed mentions;
    `segments` are its sentences as `split_sentences` gives them, when already known.

    >>> [s.text for s in annotate("Jo Lee won. “We did it,” she said.")]
    ['Jo Lee won.', '“We did it,” she said.']
    """
    sentences = attribute(text, segments if segments is not None else split_sentences(text))
    found = read_each([s.text for s in sentences], mentions_of)
    return [
        replace(sentence, mentions=_shifted(mentions, sentence.start))
        for sentence, mentions in zip(sentences, found, strict=True)
    ]


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


def _shifted(mentions: tuple[Mention, ...], by: int) -> tuple[Mention, ...]:
    """Mentions found in a sentence's own text, as offsets into the article's."""
    return tuple(replace(m, start=m.start + by, end=m.end + by) for m in mentions)
