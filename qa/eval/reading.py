"""Score the engine on SQuAD- and CoQA-format data, beside BM25 and dense-only baselines.

Every passage becomes an article of a corpus of its own (two passages with the same
text are one article), and every
question is asked of its own article (`scope="own"`), or of all of them at once
(`scope="all"`). The baselines rank the same sentences: BM25 over stemmed words, and
cosine with the bare sentence vectors; neither ever refuses.

Figures, per system:
- hit@1, hit@3: a gold answer (case and spacing ignored) is inside the first, or one of
  the first three, citations, whether or not the answer was refused;
- answered-and-right@1: not refused, and hit@1;
- false refusals: the share of answerable questions refused; refused unanswerable: the
  share of unanswerable questions refused;
- follow-up hit@1: hit@1 over a conversation's later turns;
- right article first (scope "all"): the first citation is from the question's passage;
- short EM and short F1: SQuAD's official exact match and F1 (`spans`) of the short
  answer over the answerable questions, a question without one scoring 0; short given:
  the share of answerable questions that get one; short precision: the share of those
  given whose F1 is 0.5 or more;
- sentence EM and sentence F1: the same, taking the whole first citation as the span
  (when not refused), which is what an answer without a short answer gives;
- p50 and p95 milliseconds per question.

Left out: short answers given to unanswerable questions (the refusal figures cover them).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np

from qa.answer.reading.expected import expected
from qa.articles.sources import from_text
from qa.engine import Engine
from qa.errors import UserError
from qa.eval.datasets import Dataset, Question
from qa.eval.spans import exact_match, f1
from qa.records import AnnotatedArticle, Answer, Citation, Sentence, ShortAnswer, Turn
from qa.search.lexical import LexicalIndex

CITED = 3
RIGHT_F1 = 0.5  # a short answer this close to a gold answer counts as right


@dataclass(frozen=True)
class Outcome:
    """What one system did with one question."""

    question: Question
    refused: bool
    quotes: tuple[str, ...]  # the cited passages' text, best first
    articles: tuple[str, ...]
    milliseconds: float
    expected_article: str
    rewritten: str | None = None
    reply: str = ""  # the answer's text as a reader sees it
    short: ShortAnswer | None = None
    first: Citation | None = None  # the citation the short answer lies in


def _normal(text: str) -> str:
    return " ".join(text.lower().split())


def contains_answer(quote: str, answers: Iterable[str]) -> bool:
    """
    >>> contains_answer("The  Normans were in  France.", ["normans were"])
    True
    """
    quoted = _normal(quote)
    return any(_normal(answer) in quoted for answer in answers if answer.strip())


@dataclass
class Tally:
    """A system's outcomes; `spans` says it gives short answers (the baselines do not)."""

    outcomes: list[Outcome] = field(default_factory=list)
    spans: bool = False

    def figures(self) -> dict[str, float]:
        answerable = [o for o in self.outcomes if o.question.answerable]
        unanswerable = [o for o in self.outcomes if not o.question.answerable]
        followups = [o for o in answerable if o.question.turn > 1]

        def hit(o: Outcome, k: int) -> bool:
            return any(contains_answer(q, o.question.answers) for q in o.quotes[:k])

        def share(items: list[Outcome], test: Callable[[Outcome], bool]) -> float:
            return sum(map(test, items)) / len(items) if items else float("nan")

        times = sorted(o.milliseconds for o in self.outcomes)
        return {
            "hit@1": share(answerable, lambda o: hit(o, 1)),
            "hit@3": share(answerable, lambda o: hit(o, 3)),
            "answered-and-right@1": share(answerable, lambda o: not o.refused and hit(o, 1)),
            "false refusals": share(answerable, lambda o: o.refused),
            "refused unanswerable": share(unanswerable, lambda o: o.refused),
            "follow-up hit@1": share(followups, lambda o: hit(o, 1)),
            "right article first": share(
                answerable, lambda o: bool(o.articles) and o.articles[0] == o.expected_article
            ),
            **self._span_figures(answerable),
            "p50 ms": statistics.median(times) if times else float("nan"),
            "p95 ms": times[int(0.95 * (len(times) - 1))] if times else float("nan"),
        }

    def _span_figures(self, answerable: list[Outcome]) -> dict[str, float]:
        """SQuAD's figures for the short answer, and for the whole first citation."""

        def mean(items: list[Outcome], score: Callable[[Outcome], float]) -> float:
            return sum(map(score, items)) / len(items) if items else float("nan")

        def sentence(o: Outcome) -> str:
            return o.quotes[0] if o.quotes and not o.refused else ""

        def said(o: Outcome) -> str:
            return o.short.text if o.short else ""

        given = [o for o in answerable if o.short is not None]
        short = {
            "short EM": mean(answerable, lambda o: exact_match(said(o), o.question.answers)),
            "short F1": mean(answerable, lambda o: f1(said(o), o.question.answers)),
            "short given": mean(answerable, lambda o: float(o.short is not None)),
            "short precision": mean(
                given, lambda o: float(f1(said(o), o.question.answers) >= RIGHT_F1)
            ),
        }
        if not self.spans:
            short = dict.fromkeys(short, float("nan"))
        return {
            **short,
            "sentence EM": mean(answerable, lambda o: exact_match(sentence(o), o.question.answers)),
            "sentence F1": mean(answerable, lambda o: f1(sentence(o), o.question.answers)),
        }


def load_corpus(engine: Engine, dataset: Dataset) -> dict[str, str]:
    """Make the corpus the passages alone; returns each passage's article id.

    The corpus must hold nothing but the passages and the seed a new corpus starts with:
    anything else is someone's articles, and raises UserError rather than being removed.
    """
    wanted = {p.id for p in dataset.passages}
    others = [s.id for s in engine.articles if s.id not in wanted and s.id != engine.seed_id]
    if others:
        raise UserError(
            f"{engine.index_dir} holds other articles ({', '.join(others[:3])}…); "
            "evaluate in an empty folder of its own"
        )
    if engine.seed_id in {s.id for s in engine.articles} - wanted:
        engine.remove([engine.seed_id])
    articles = [from_text(p.text, title=p.title, name=p.id) for p in dataset.passages]
    changes = engine.add(articles, total=len(articles))
    return {p.id: change.article.id for p, change in zip(dataset.passages, changes, strict=True)}


def evaluate_reading(
    engine: Engine, dataset: Dataset, ids: dict[str, str], scope: str = "own"
) -> dict[str, Tally]:
    """Ask every question through the engine and the baselines; `ids` maps passages to
    articles (`load_corpus`), and `scope` is "own" or "all"."""
    annotated = {article: engine.article(article) for article in set(ids.values())}
    baselines: dict[str, LexicalBaseline | DenseBaseline] = {
        "BM25": LexicalBaseline(annotated),
        "dense only": DenseBaseline(annotated, engine),
    }
    tallies = {"engine": Tally(spans=True), **{name: Tally() for name in baselines}}
    history: dict[str, list[Turn]] = {}
    for question in dataset.questions:
        turns = history.setdefault(question.passage, []) if question.turn > 1 else []
        if question.turn == 1:
            history[question.passage] = turns
        expected = ids[question.passage]
        article = expected if scope == "own" else None
        started = time.perf_counter()
        answer = engine.ask(question.text, turns, article=article)
        elapsed = (time.perf_counter() - started) * 1000
        tallies["engine"].outcomes.append(_outcome(question, answer, elapsed, expected))
        turns += [Turn("user", question.text), Turn("assistant", answer.answer)]
        for name, baseline in baselines.items():
            started = time.perf_counter()
            ranked = baseline.rank(question.text, article)
            elapsed = (time.perf_counter() - started) * 1000
            quotes = tuple(sentence.text for _, sentence in ranked)
            owners = tuple(owner for owner, _ in ranked)
            outcome = Outcome(question, False, quotes, owners, elapsed, expected)
            tallies[name].outcomes.append(outcome)
    return tallies


def _outcome(question: Question, answer: Answer, milliseconds: float, expected: str) -> Outcome:
    quotes = tuple(c.quote for c in answer.citations)
    owners = tuple(c.article for c in answer.citations)
    return Outcome(
        question,
        not answer.found,
        quotes,
        owners,
        milliseconds,
        expected,
        answer.rewritten_question,
        answer.answer,
        answer.short_answer,
        answer.citations[0] if answer.citations else None,
    )


class LexicalBaseline:
    """BM25 over every article's sentences, as a keyword search box would rank them."""

    def __init__(self, articles: dict[str, AnnotatedArticle]) -> None:
        self._rows = [(a, s) for a, article in articles.items() for s in article.sentences]
        self._all = LexicalIndex([s.text for _, s in self._rows])
        self._own = {
            a: LexicalIndex([s.text for s in art.sentences]) for a, art in articles.items()
        }
        self._articles = articles

    def rank(self, question: str, article: str | None) -> list[tuple[str, Sentence]]:
        if article is not None:
            sentences = self._articles[article].sentences
            scores = self._own[article].scores(question)
            order = np.argsort(-scores, kind="stable")[:CITED]
            return [(article, sentences[i]) for i in order]
        order = np.argsort(-self._all.scores(question), kind="stable")[:CITED]
        return [self._rows[i] for i in order]


class DenseBaseline:
    """Cosine between the question and each bare sentence, with the engine's model."""

    def __init__(self, articles: dict[str, AnnotatedArticle], engine: Engine) -> None:
        self._rows = [(a, s) for a, article in articles.items() for s in article.sentences]
        self._vectors = engine.embedder.encode_passages([s.text for _, s in self._rows])
        self._engine = engine

    def rank(self, question: str, article: str | None) -> list[tuple[str, Sentence]]:
        query = self._engine.embedder.encode_queries([question])[0]
        scores = self._vectors @ query
        if article is not None:
            scores = np.where([a == article for a, _ in self._rows], scores, -np.inf)
        order = np.argsort(-scores, kind="stable")[:CITED]
        return [self._rows[i] for i in order]


def table(tallies: dict[str, Tally], title: str) -> str:
    """A Markdown table with one column per system."""
    figures = {name: tally.figures() for name, tally in tallies.items()}
    names = list(figures)
    lines = [title, "", "| | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]
    for metric in figures[names[0]]:
        cells = []
        for name in names:
            value = figures[name][metric]
            cells.append(
                "–" if value != value else f"{value:.3f}" if "ms" not in metric else f"{value:.1f}"
            )
        lines.append(f"| {metric} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def kinds_of(engine: Engine, dataset: Dataset) -> dict[str, str]:
    """Each question's kind, as the engine reads it ("who" is a person, "why" a reason…),
    or "other" for a question that asks for no kind; "unanswerable" for those."""
    kinds: dict[str, str] = {}
    for question in dataset.questions:
        asked = expected(question.text, engine.nouns)
        kind = asked.kind if asked is not None else "other"
        kinds[question.id] = kind if question.answerable else "unanswerable"
    return kinds


def kinds_table(tally: Tally, kinds: dict[str, str]) -> str:
    """The engine's figures by kind of question, so a gain or a loss shows where it is."""
    lines = [
        "| kind | questions | hit@1 | hit@3 | refused | short given | short F1 |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    groups: dict[str, list[Outcome]] = {}
    for outcome in tally.outcomes:
        groups.setdefault(kinds[outcome.question.id], []).append(outcome)
    for kind in sorted(groups, key=lambda k: (k == "unanswerable", k == "other", k)):
        figures = Tally(groups[kind], spans=tally.spans).figures()
        if kind == "unanswerable":
            cells = ["–", "–", f"{figures['refused unanswerable']:.2f}", "–", "–"]
        else:
            cells = [
                f"{figures[name]:.2f}"
                for name in ("hit@1", "hit@3", "false refusals", "short given", "short F1")
            ]
        lines.append(f"| {kind} | {len(groups[kind])} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def misses(tally: Tally, limit: int = 15) -> list[str]:
    """The engine's wrong answers, for reading: question, what it quoted."""
    shown = []
    for o in tally.outcomes:
        q = o.question
        right = any(contains_answer(x, q.answers) for x in o.quotes[:1])
        if q.answerable and (o.refused or not right):
            verdict = "refused" if o.refused else "wrong"
            shown.append(f"{verdict}: {q.text} | gold {q.answers[0]!r} | got {o.quotes[:1]}")
        elif not q.answerable and not o.refused:
            shown.append(f"answered unanswerable: {q.text} | got {o.quotes[:1]}")
    return shown[:limit]
