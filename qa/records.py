"""The typed records that cross module boundaries: sentences, hits, citations, answers.

Every stage of the pipeline hands one of these to the next; no loose dicts travel
between modules. Only `Citation` and `Answer` know how to become JSON, because they
are the public contract of `qa ask --json` and the `/ask` API.

Offsets are character offsets into the article text exactly as read from its file
(UTF-8 decoded), so `article.text[start:end]` is always the quoted slice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal


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
class Mention:
    """A typed span of a sentence, as the article's parse found it when it was added.

    `kind` is spaCy's entity label (`PERSON`, `ORG`, `GPE`, `DATE`, `CARDINAL`, `MONEY`…)
    or one of the kinds read from the parse: `DURATION` (a length of time: "three
    years"), `SCORE` ("2-1"), `REASON` (a clause giving a cause: "because…", "due to…")
    and `PURPOSE` (an infinitive of purpose: "to allow…"). `start`/`end` are offsets
    into the article's text. `unit` is the noun a number counts ("36 *planes*": "plane");
    `context` the lemmas of the words the mention hangs from in the parse, nearest first
    ("founded *by* X": "found").
    """

    kind: str
    start: int
    end: int
    unit: str = ""
    context: tuple[str, ...] = ()


@dataclass(frozen=True)
class Sentence:
    """A sentence with its anchor id, offsets, speaker and typed mentions.

    `speaker` is the full name of whoever is quoted in the sentence, or None when it is
    the reporter's narration. `speech` is the part of the sentence inside quotation marks
    (without the marks and trailing attribution), used to quote a speaker's own words.
    `mentions` are what the parse found in it (see `Mention`), in reading order.
    """

    id: str
    index: int
    paragraph: int
    start: int
    end: int
    text: str
    speaker: str | None = None
    speech: Span | None = None
    mentions: tuple[Mention, ...] = ()


@dataclass(frozen=True)
class Quotation:
    """Direct speech as the article marks it (`span`: the marks and what they enclose), and
    who it is credited to: `cue` is the verb of saying whose clause holds it and `subject`
    that verb's subject as written ("Mr Chirac", "he"); both None when it goes on from
    the last speaker without a cue of its own."""

    span: Span
    speaker: str | None
    cue: Span | None = None
    subject: Span | None = None


@dataclass(frozen=True)
class Publication:
    """What a web page says about its own publication, as trafilatura read it: who wrote
    it, when (an ISO date, `2026-03-14`) and the site's name; empty where the page is
    silent. Shown to readers as a byline; never part of the text that quotes slice."""

    author: str = ""
    date: str = ""
    site: str = ""


@dataclass(frozen=True)
class Article:
    """An article as indexed: its text is the single source of truth for quotes.

    `source` is where it came from (a file path, "pasted", or the page's canonical
    `http(s)://` address for an article added from a link); `sha256` is the hash of `text`
    as UTF-8, which is how an unchanged article is recognised when added again.
    `publication` is the page's byline, for pages (linked or uploaded) that give one.
    """

    id: str
    title: str
    source: str
    text: str
    sha256: str
    publication: Publication = field(default_factory=Publication)


@dataclass(frozen=True)
class Hit:
    """A retrieved sentence with the scores that ranked it."""

    sentence: Sentence
    score: float
    dense: float
    lexical: float


def in_quotation_marks(quote: str) -> str:
    """`quote` set off as a quotation, every mark balanced, its own characters unchanged.

    Plain text goes inside curly marks. Text that has marks of its own keeps them and gets
    no outer pair, which would nest wrongly; a mark whose partner lies outside the slice
    (speech that runs on into the next sentence) gets one added outside it.

    >>> in_quotation_marks("We stand with Ukraine.")
    '“We stand with Ukraine.”'
    >>> in_quotation_marks("He added: “We see death.”")
    'He added: “We see death.”'
    >>> in_quotation_marks("“We see death and destruction.")
    '“We see death and destruction.”'
    >>> in_quotation_marks("he said.” Then he left.")
    '“he said.” Then he left.'
    >>> in_quotation_marks('Jo said: "We will fight.')
    'Jo said: "We will fight."'
    >>> in_quotation_marks('fight." Then she left.')
    '"fight." Then she left.'
    """
    if not any(mark in quote for mark in '“”"'):
        return f"“{quote}”"
    depth = missing_openings = 0
    for mark in quote:
        if mark == "“":
            depth += 1
        elif mark == "”":
            if depth:
                depth -= 1
            else:
                missing_openings += 1
    before, after = "“" * missing_openings, "”" * depth
    if quote.count('"') % 2:
        # Straight marks pair from the left, so the last is alone. It has no direction of
        # its own: it opens where a word follows it (at the start, or after a space).
        alone = quote.rindex('"')
        if alone == 0 or quote[alone - 1].isspace():
            after += '"'
        else:
            before = '"' + before
    return f"{before}{quote}{after}"


@dataclass(frozen=True)
class Citation:
    """An exact slice of an article: one sentence, or two adjacent ones that need each other.

    `sentence_ids` are the sentences it covers, in order; its `id` names them as
    `s7`, or `s6-s7` for two.
    """

    sentence_ids: tuple[str, ...]
    article: str
    article_title: str
    quote: str
    start: int
    end: int
    speaker: str | None
    score: float

    @property
    def id(self) -> str:
        first, last = self.sentence_ids[0], self.sentence_ids[-1]
        return first if first == last else f"{first}-{last}"

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
class ShortAnswer:
    """The few words inside the first citation that answer: `text` is the article's
    `text[start:end]`, as for a citation."""

    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class Answer:
    """What a question gets back: the answer contract shared by the CLI and the API.

    `found` says the article answers. `unsure` marks a refusal that still has a likely
    passage: the answer then says the article may not answer, and quotes the closest.
    `short_answer` is the span of the first citation that answers a "who", "when", "how
    many"… question, or None when the question asks for no such span or none fits.
    """

    answer: str
    found: bool
    rewritten_question: str | None
    citations: list[Citation] = field(default_factory=list)
    unsure: bool = False
    short_answer: ShortAnswer | None = None

    def to_dict(self) -> dict[str, Any]:
        short = self.short_answer
        return {
            "answer": self.answer,
            "found": self.found,
            "unsure": self.unsure,
            "rewritten_question": self.rewritten_question,
            "short_answer": short.to_dict() if short else None,
            "citations": [citation.to_dict() for citation in self.citations],
        }


@dataclass(frozen=True)
class Turn:
    """One message of a conversation so far, as the engine reads follow-ups from it."""

    role: Literal["user", "assistant"]
    content: str


@dataclass(frozen=True)
class AnnotatedArticle:
    """An article with its sentences, offsets and speakers: what a reader or UI draws."""

    article: Article
    sentences: tuple[Sentence, ...]

    def to_dict(self) -> dict[str, Any]:
        """The `/article` contract: `text[start:end]` is each sentence."""
        article = self.article
        return {
            "id": article.id,
            "title": article.title,
            "source": display_source(article.source),
            **about(article.source, article.publication),
            "text": article.text,
            "sentences": [
                {"id": s.id, "start": s.start, "end": s.end, "speaker": s.speaker}
                for s in self.sentences
            ],
        }


@dataclass(frozen=True)
class ArticleSummary:
    """An article as a list shows it."""

    id: str
    title: str
    source: str
    sentences: int
    publication: Publication = field(default_factory=Publication)

    def to_dict(self) -> dict[str, Any]:
        """What `qa list --json` and the `/articles` API show: the file name, never a path;
        for an article added from a link, its address and byline."""
        return {
            "id": self.id,
            "title": self.title,
            "source": display_source(self.source),
            **about(self.source, self.publication),
            "sentences": self.sentences,
        }


def is_link(source: str) -> bool:
    """Whether an article came from a web address (and can be fetched again).

    >>> is_link("https://news.example/storm"), is_link("/srv/news/storm.html")
    (True, False)
    """
    return source.startswith(("http://", "https://"))


def display_source(source: str) -> str:
    """A source as shown to the public: a file's name, never the server's folders; a
    link is public already, and shown whole.

    >>> display_source("/srv/news/storm.html"), display_source("pasted")
    ('storm.html', 'pasted')
    >>> display_source("https://news.example/2026/storm")
    'https://news.example/2026/storm'
    """
    return source if is_link(source) else source.rsplit("/", 1)[-1]


def about(source: str, publication: Publication) -> dict[str, str | None]:
    """The link to the original and the byline, as the API shows them: null when unknown.

    >>> about("storm.txt", Publication(author="Jane Roe"))
    {'url': None, 'author': 'Jane Roe', 'date': None, 'site': None}
    """
    return {
        "url": source if is_link(source) else None,
        "author": publication.author or None,
        "date": publication.date or None,
        "site": publication.site or None,
    }


ChangeAction = Literal["added", "replaced", "unchanged", "removed"]


@dataclass(frozen=True)
class Change:
    """What one add or remove did to one article."""

    action: ChangeAction
    article: ArticleSummary

    def describe(self) -> str:
        return (
            f"{self.action} {self.article.id}: “{self.article.title}” "
            f"({self.article.sentences} sentences)"
        )


@dataclass(frozen=True)
class AddReport:
    """What adding files did: a change per article added, a reason per file skipped."""

    changes: list[Change]
    skipped: list[str]


@dataclass(frozen=True)
class OpenReport:
    """What opening the corpus did, for `qa index` and the start-up log."""

    action: Literal["loaded", "built", "rebuilt"]
    reason: str
    articles: int
    sentences: int
    seconds: float

    def describe(self, directory: str) -> str:
        counts = f"{_count(self.articles, 'article')}, {_count(self.sentences, 'sentence')}"
        if self.action == "loaded":
            return f"index: up to date in {directory} ({counts})"
        if self.action == "built":
            return f"index: built in {directory} ({counts} in {self.seconds:.2f} s)"
        return (
            f"index: rebuilt in {directory} because {self.reason} "
            f"({counts} in {self.seconds:.2f} s)"
        )


def _count(number: int, noun: str) -> str:
    """
    >>> _count(1, "article"), _count(3, "article")
    ('1 article', '3 articles')
    """
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
