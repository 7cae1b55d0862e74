"""Score speaker credits against sentences labelled by hand (`datasets.load_speakers`).

Each label's snippet is found in its article; the sentence the segmenter made around it
is credited with a speaker, or with none. A credit is right when it names the labelled
speaker or one of its aliases, compared after lower-casing, dropping a leading "the",
dots and soft hyphens. Precision is right credits over all credits; recall is right
credits over labels with a speaker. Both are reported by the label's kind (`direct`,
`partial`, `unattributed`; a credit to a sentence labelled `narration`, `indirect` or
`not-speech` is a wrong credit of that kind) and by group of articles. A credit is "not a
name" when none of its words is capitalised, or when it is a single word the article also
writes in lower case or that only a sentence's start capitalises ("As", "Court").

With folds (`cross_validate`), attribution's choices (`quotes.Rules`) are fitted on the
articles of K − 1 folds and scored on the fold left out, so the figures reported are of
articles the choices never saw. An article is parsed once; each choice only re-credits.
"""

from __future__ import annotations

import itertools
import random
import re
import statistics
import time
from dataclasses import dataclass, field

from qa.articles.annotate import Parsed, parse, read
from qa.articles.quotes import Rules
from qa.articles.segment import split_sentences
from qa.eval.datasets import LabelledArticle
from qa.records import Segment, Sentence

KINDS = ("direct", "partial", "unattributed")
NO_SPEAKER = "no speaker"  # labels of narration, indirect speech and scare quotes
GRID: dict[str, tuple[object, ...]] = {
    "scare_quote_words": (1, 2, 3, 4, 5),
    "pronoun": ("speaker", "named"),
    "carry": (0, 1, 2, 4),
    "hear_indirect": (True, False),
    "cue_first": (True, False),
}


def normal_name(name: str) -> str:
    """
    >>> normal_name("The Police\\u00adFederation"), normal_name("Mr. Burgmans")
    ('policefederation', 'mr burgmans')
    """
    name = name.replace("\u00ad", "").replace(".", "").lower().strip()
    return re.sub(r"^the\s+", "", " ".join(name.split()))


@dataclass
class SpeakerTally:
    right: int = 0
    credited: int = 0
    labelled: int = 0
    not_names: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    def figures(self) -> dict[str, float]:
        return {
            "precision": self.right / self.credited if self.credited else float("nan"),
            "recall": self.right / self.labelled if self.labelled else float("nan"),
            "credits": float(self.credited),
            "credits that are not names": float(len(self.not_names)),
        }

    def add(self, other: SpeakerTally) -> None:
        self.right += other.right
        self.credited += other.credited
        self.labelled += other.labelled
        self.not_names += other.not_names
        self.wrong += other.wrong


def looks_like_a_name(credit: str, text: str) -> bool:
    """A credit names someone (or an organisation, or a document the article describes)
    when one of its words is capitalised, and it is not one common word: "Court" alone,
    at a sentence's start, is a word.

    >>> looks_like_a_name("Joint Committee on Intelligence", ""), looks_like_a_name("As", "as")
    (True, False)
    """
    words = credit.split()
    if not any(w[:1].isupper() for w in words):
        return False
    if len(words) == 1:
        lowered = re.search(rf"\b{re.escape(words[0].lower())}\b", text)
        return lowered is None and (words[0].isupper() or len(words[0]) > 2)
    return True


@dataclass(frozen=True)
class ParsedArticle:
    """A labelled article with its parse, read once: every choice of rules re-credits it."""

    article: LabelledArticle
    segments: list[Segment]
    parsed: list[Parsed]
    seconds: float  # how long segmenting, parsing and reading it took, as when it is added

    @property
    def group(self) -> str:
        """`01`–`08` (written before the rules), or `BBC` (the later stories)."""
        return "01–08" if self.article.id[:1].isdigit() else "BBC"

    def sentences(self, rules: Rules) -> list[Sentence]:
        return read(self.article.text, self.segments, self.parsed, rules).sentences


def parse_all(articles: list[LabelledArticle]) -> list[ParsedArticle]:
    parsed = []
    for article in articles:
        started = time.perf_counter()
        segments = split_sentences(article.text)
        sentences = parse(article.text, segments)
        read(article.text, segments, sentences)
        seconds = time.perf_counter() - started
        parsed.append(ParsedArticle(article, segments, sentences, seconds))
    return parsed


def score(articles: list[ParsedArticle], rules: Rules | None = None) -> dict[str, SpeakerTally]:
    """Tallies for "all", each group and each kind of label (`NO_SPEAKER` holds the credits
    given to sentences labelled with none: all of them wrong)."""
    tallies: dict[str, SpeakerTally] = {}
    for parsed in articles:
        for kind, tally in _score_article(parsed, rules or Rules()).items():
            for name in ("all", parsed.group, kind):
                tallies.setdefault(name, SpeakerTally()).add(tally)
    return tallies


def _score_article(parsed: ParsedArticle, rules: Rules) -> dict[str, SpeakerTally]:
    """One tally per kind of label in the article."""
    article = parsed.article
    text = article.text
    sentences = parsed.sentences(rules)
    tallies: dict[str, SpeakerTally] = {}
    for label in article.labels:
        at = text.find(label.snippet)
        if at < 0:
            raise ValueError(f"{article.id}: snippet not found: {label.snippet!r}")
        sentence = next(s for s in sentences if s.start <= at < s.end)
        kind = label.kind if label.kind in KINDS else NO_SPEAKER
        tally = tallies.setdefault(kind, SpeakerTally())
        tally.labelled += label.speaker is not None
        if sentence.speaker is None:
            if label.speaker is not None:
                tally.wrong.append(f"{article.id}: missed {label.speaker}: {label.snippet}")
            continue
        tally.credited += 1
        if not looks_like_a_name(sentence.speaker, text):
            tally.not_names.append(sentence.speaker)
        if normal_name(sentence.speaker) in {normal_name(n) for n in label.names}:
            tally.right += 1
        else:
            expected = label.speaker or "nobody"
            tally.wrong.append(
                f"{article.id}: credited {sentence.speaker}, not {expected}: {label.snippet}"
            )
    return tallies


def settings() -> list[Rules]:
    names = list(GRID)
    return [
        Rules(**dict(zip(names, values, strict=True)))  # type: ignore[arg-type]
        for values in itertools.product(*(GRID[name] for name in names))
    ]


def fit(articles: list[ParsedArticle]) -> Rules:
    """The choices with the best F0.5 of credits on `articles`: precision counts twice as
    much as recall, since a quote pinned on the wrong person misleads and a missing credit
    does not. Ties go to the shipped rules."""

    def quality(rules: Rules) -> float:
        tally = score(articles, rules)["all"]
        precision = tally.right / tally.credited if tally.credited else 0.0
        recall = tally.right / tally.labelled if tally.labelled else 0.0
        if not precision + recall:
            return 0.0
        return 1.25 * precision * recall / (0.25 * precision + recall)

    shipped = Rules()
    return max(settings(), key=lambda rules: (quality(rules), rules == shipped))


@dataclass(frozen=True)
class CrossValidation:
    chosen: list[Rules]  # per fold, fitted without it
    held_out: dict[str, SpeakerTally]  # every article scored with the rules fitted without it
    on_all: Rules


def cross_validate(articles: list[ParsedArticle], k: int, seed: int = 0) -> CrossValidation:
    """Leave-articles-out: `k` folds of articles, seeded, each group spread over them."""
    order = sorted(articles, key=lambda a: a.article.id)
    random.Random(seed).shuffle(order)
    order.sort(key=lambda a: a.group)  # stable: shuffled within each group
    split = [order[i::k] for i in range(k)]
    chosen = []
    held_out: dict[str, SpeakerTally] = {}
    for fold in split:
        training = [a for a in articles if a not in fold]
        rules = fit(training)
        chosen.append(rules)
        for name, tally in score(fold, rules).items():
            held_out.setdefault(name, SpeakerTally()).add(tally)
    return CrossValidation(chosen, held_out, fit(articles))


def seconds_table(articles: list[ParsedArticle]) -> str:
    """What reading an article costs when it is added: median and p95 per article, and
    per 1,000 words."""
    seconds = sorted(a.seconds for a in articles)
    per_thousand = sorted(1000 * a.seconds / max(1, len(a.article.text.split())) for a in articles)
    p95 = seconds[int(0.95 * (len(seconds) - 1))]
    median, thousand = statistics.median(seconds), statistics.median(per_thousand)
    return (
        f"reading an article (segmenting, parsing, crediting): median {median * 1000:.0f} ms, "
        f"p95 {p95 * 1000:.0f} ms; per 1,000 words, median {thousand * 1000:.0f} ms"
    )


def speakers_table(tallies: dict[str, SpeakerTally], title: str) -> str:
    """precision, recall, credits and credits that are not names, by group and kind."""
    columns = [name for name in ("all", "01–08", "BBC", *KINDS, NO_SPEAKER) if name in tallies]
    lines = [title, "", "| | " + " | ".join(columns) + " |", "|---|" + "---:|" * len(columns)]
    for metric in ("precision", "recall", "credits", "credits that are not names"):
        cells = []
        for name in columns:
            value = tallies[name].figures()[metric]
            counted = metric in ("credits", "credits that are not names")
            cells.append("–" if value != value else f"{value:.0f}" if counted else f"{value:.3f}")
        lines.append(f"| {metric} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
