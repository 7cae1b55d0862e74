"""The typed records that cross module boundaries: sentences, hits, citations, answers.

Every stage of the pipeline hands one of these to the next; no loose dicts travel
between modules. Only `Citation` and `Answer` know how to become JSON, because they
are the public contract of `qa ask --json` and the `/ask` API.

Offsets are character offsets into the article text exactly as read from its file
(UTF-8 decoded), so `article.text[start:end]` is always the quoted slice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Span:
    """A half-open character range `[start, end)` into an article's text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"a span needs 0 <= start <= end. Currently, {self.start}..{self.end}")


@dataclass(frozen=True)
class Segment:
    """One sentence as the segmenter found it, before anyone knows who speaks in it."""

    index: int
    paragraph: int
    span: Span


@dataclass(frozen=True)
class Sentence:
    """A sentence with its anchor id, offsets and speaker.

    `speaker` is the full name of whoever is quoted in the sentence, or None when it is
    the reporter's narration. `speech` is the part of the sentence inside quotation marks
    (without the marks and trailing attribution), used to quote a speaker's own words.
    """

    id: str
    index: int
    paragraph: int
    start: int
    end: int
    text: str
    speaker: str | None = None
    speech: Span | None = None


@dataclass(frozen=True)
class Article:
    """An article as indexed: its text is the single source of truth for quotes.

    `source` is where it came from (a file path, or "pasted"); `sha256` is the hash of
    `text` as UTF-8, which is how an unchanged article is recognised when added again.
    """

    id: str
    title: str
    source: str
    text: str
    sha256: str


@dataclass(frozen=True)
class Hit:
    """A retrieved sentence with the scores that ranked it."""

    sentence: Sentence
    score: float
    dense: float
    lexical: float


@dataclass(frozen=True)
class Citation:
    """An exact slice of an article: one sentence, or two adjacent ones that need each other.

    `id` names the sentences it covers: `s7`, or `s6-s7` for two.
    """

    id: str
    article: str
    article_title: str
    quote: str
    start: int
    end: int
    speaker: str | None
    score: float

    def sentence_ids(self) -> set[str]:
        """The sentences this citation covers: `s6-s7` covers s6 and s7."""
        first, _, last = self.id.partition("-")
        return {f"s{n}" for n in range(int(first[1:]), int((last or first)[1:]) + 1)}

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "article": self.article,
            "article_title": self.article_title,
            "quote": self.quote,
            "start": self.start,
            "end": self.end,
            "speaker": self.speaker,
            "score": round(self.score, 4),
        }


@dataclass(frozen=True)
class Answer:
    """What a question gets back: the answer contract shared by the CLI and the API."""

    answer: str
    found: bool
    rewritten_question: str | None
    citations: list[Citation] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "answer": self.answer,
            "found": self.found,
            "rewritten_question": self.rewritten_question,
            "citations": [citation.to_dict() for citation in self.citations],
        }
