"""Fit the answer-type weights on folds of the development data, and score the folds left out.

Every question is asked once (`gather`): each article's answerer hands back its evidence
(`answerer.Evidence`: the candidate sentences, the answer of the asked kind each holds,
which cover the question's focus), and `decide` is then a pure function of that evidence
and the weights. So every setting of the grid is scored on every question at the cost of
arithmetic, not of asking again.

The folds are of articles (passages), seeded, so no article's questions are on both sides.
On the K − 1 training folds, `fit` picks the setting that answers most questions rightly
(an answerable question answered from a sentence holding its answer, an unanswerable one
refused), each data file weighing the same, among the settings that refuse at most
`FALSE_REFUSALS` of the answerable questions of every file (or no more than the rules
that owe nothing to the type refuse already) and answer no fewer of any file's
answerable questions rightly than the plain ranking (`typed.PLAIN`); ties go to the
smaller weights. The fold
left out is then scored with the setting fitted without it. The held-out figures are the
result to report; the weights the engine ships are `fit` on all the data.

Left out: tuning the retriever's own weights and thresholds, which earlier work
cross-validated on SQuAD 2.0 (see `answerer.FOUND_THRESHOLD`).
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass, fields

import numpy as np

from qa.answer.answerer import FOUND_THRESHOLD, Asking, Evidence
from qa.answer.ranking.typed import PLAIN, TypeWeights
from qa.answer.reading.question import clean
from qa.engine import Engine
from qa.eval.datasets import Dataset, Question
from qa.eval.reading import contains_answer
from qa.records import Turn

# The most answerable questions a fitted setting may refuse, per file (or as many as are
# refused whatever the weights, when that is more).
FALSE_REFUSALS = 0.05
GRID: dict[str, tuple[float, ...]] = {
    "typed": (0.0, 0.05, 0.1, 0.15, 0.2, 0.3),
    "loose": (0.0, 0.25, 0.5, 0.75, 1.0),
    "fit": (0.0, 0.02, 0.05, 0.1),
    "near": (0.0, 0.01, 0.02, 0.05),
    "untyped": (0.0, 0.05, 0.1, 0.2),
    "headline": (0.0, 0.1, 0.2, 0.4),
    "depth": (0, 1, 2, 3, 5),
}


@dataclass(frozen=True)
class Asked:
    """One question of one data file, with its article's evidence."""

    source: str  # the data file's name
    question: Question
    evidence: Evidence


def gather(engine: Engine, dataset: Dataset, ids: dict[str, str]) -> list[Asked]:
    """Each question's evidence from its own article (`ids`: see `load_corpus`). A later
    turn of a conversation is read with the turns before it and the engine's answers to
    them, as the shipped weights give them: the conversation as a reader would have had
    it, fixed once, so that every setting is scored on the same evidence."""
    asked = []
    history: list[Turn] = []
    for question in dataset.questions:
        if question.turn == 1:
            history = []
        article = ids[question.passage]
        text = clean(question.text)
        asking = Asking(engine.embedder, engine.nouns)
        found = engine.answerer(article).evidence(text, history, asking)
        asked.append(Asked(dataset.name, question, found))
        if any(q.turn > 1 and q.passage == question.passage for q in dataset.questions):
            reply = engine.ask(text, history, article=article)
            history = [*history, Turn("user", text), Turn("assistant", reply.answer)]
    return asked


@dataclass(frozen=True)
class Table:
    """The evidence as arrays, questions × candidates, for scoring many settings at once."""

    sources: np.ndarray  # (q,) the file each question is from
    answerable: np.ndarray  # (q,)
    fused: np.ndarray  # (q, c) the retriever's scores; -inf past a question's candidates
    typed: np.ndarray  # (q,) the question asks for a kind
    holds: np.ndarray  # (q, c) the candidate holds an answer of that kind
    exact: np.ndarray  # (q, c) of the very label asked for
    fit: np.ndarray  # (q, c)
    near: np.ndarray  # (q, c)
    headline: np.ndarray  # (q, c)
    right: np.ndarray  # (q, c) the candidate's sentence holds a gold answer
    refused: np.ndarray  # (q, c) refused if this candidate is the best, whatever the type

    @classmethod
    def of(cls, asked: Sequence[Asked]) -> Table:
        width = max(len(a.evidence.candidates) for a in asked)
        shape = (len(asked), width)
        fused = np.full(shape, -np.inf)
        holds, exact, headline, right, refused = (np.zeros(shape, bool) for _ in range(5))
        fit, near = np.zeros(shape), np.zeros(shape)
        for row, item in enumerate(asked):
            evidence = item.evidence
            for col, candidate in enumerate(evidence.candidates):
                fused[row, col] = candidate.hit.score
                holds[row, col] = candidate.answer is not None
                exact[row, col] = candidate.exact
                fit[row, col] = candidate.fit
                near[row, col] = candidate.near
                headline[row, col] = candidate.headline
                right[row, col] = contains_answer(
                    candidate.hit.sentence.text, item.question.answers
                )
                refused[row, col] = _refused_by_evidence(evidence, col)
        return cls(
            sources=np.array([a.source for a in asked]),
            answerable=np.array([a.question.answerable for a in asked]),
            fused=fused,
            typed=np.array([a.evidence.expected is not None for a in asked]),
            holds=holds,
            exact=exact,
            fit=fit,
            near=near,
            headline=headline,
            right=right,
            refused=refused,
        )

    def take(self, rows: np.ndarray) -> Table:
        return Table(**{f.name: getattr(self, f.name)[rows] for f in fields(self)})

    def decide(self, weights: TypeWeights) -> tuple[np.ndarray, np.ndarray]:
        """Per question, as `answerer.decide` would: whether the best candidate holds a
        gold answer, and whether the question is refused."""
        typed = self.typed[:, None]
        share = np.where(self.exact, 1.0, weights.loose)
        gain = weights.typed + weights.fit * self.fit + weights.near * self.near
        bonus = np.where(self.holds, share * gain, -weights.untyped)
        score = self.fused - weights.headline * self.headline + np.where(typed, bonus, 0.0)
        order = np.argsort(-score, axis=1, kind="stable")
        best = order[:, 0]
        rows = np.arange(len(best))
        lacking = np.zeros(len(best), bool)
        if weights.depth > 0:
            top = order[:, : weights.depth]
            held = np.take_along_axis(self.holds & np.isfinite(self.fused), top, axis=1)
            lacking = self.typed & ~held.any(axis=1)
        refused = self.refused[rows, best] | lacking
        return self.right[rows, best], refused

    def figures(self, weights: TypeWeights) -> dict[str, dict[str, float]]:
        """hit@1, false refusals and unanswerable refused, per data file."""
        return self.judge(*self.decide(weights))

    def judge(self, hit: np.ndarray, refused: np.ndarray) -> dict[str, dict[str, float]]:
        """The figures, per data file, of these decisions on every question."""
        out = {}
        for source in dict.fromkeys(self.sources.tolist()):
            mine = self.sources == source
            answerable, unanswerable = mine & self.answerable, mine & ~self.answerable
            out[source] = {
                "hit@1": _mean(hit[answerable]),
                "answered-and-right@1": _mean(hit[answerable] & ~refused[answerable]),
                "false refusals": _mean(refused[answerable]),
                "refused unanswerable": _mean(refused[unanswerable]),
            }
        return out


def _refused_by_evidence(evidence: Evidence, col: int) -> bool:
    """The type-free rules of `decide`, were candidate `col` the best."""
    missing = bool(evidence.focus) and col not in evidence.covered
    low = evidence.candidates[col].hit.score < FOUND_THRESHOLD
    return bool(evidence.question.unknown_names) or missing or low


def _mean(values: np.ndarray) -> float:
    return float(values.mean()) if values.size else float("nan")


def settings() -> list[TypeWeights]:
    names = list(GRID)
    return [
        TypeWeights(**dict(zip(names, values, strict=True)))  # type: ignore[arg-type]
        for values in itertools.product(*(GRID[name] for name in names))
    ]


def fit(table: Table, candidates: list[TypeWeights] | None = None) -> TypeWeights:
    """The setting that answers most questions rightly, each file weighing the same, among
    those that refuse at most `FALSE_REFUSALS` of every file's answerable questions and
    answer no fewer of any file's answerable questions rightly than the plain ranking."""
    files = list(dict.fromkeys(table.sources.tolist()))
    mine = [table.sources == source for source in files]
    answerable = [rows & table.answerable for rows in mine]

    def judged(weights: TypeWeights) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per file: the share answered rightly, of answerable ones answered from the
        right sentence, and of answerable ones refused."""
        hit, refused = table.decide(weights)
        good = np.where(table.answerable, hit & ~refused, refused)
        return (
            np.array([good[rows].mean() for rows in mine]),
            np.array([(hit & ~refused)[rows].mean() if rows.any() else 0.0 for rows in answerable]),
            np.array([refused[rows].mean() if rows.any() else 0.0 for rows in answerable]),
        )

    _, floor, plain_refusals = judged(PLAIN)
    # Refusals that are not the type's own (a low score, a missing focus) are allowed for.
    allowed = np.maximum(FALSE_REFUSALS, plain_refusals)
    best: tuple[float, float, TypeWeights] | None = None
    for weights in candidates or settings():
        rightly, answered, refusals = judged(weights)
        if (refusals > allowed).any() or (answered < floor).any():
            continue
        size = sum(float(getattr(weights, name)) for name in GRID)
        key = (float(rightly.mean()), -size)
        if best is None or key > best[:2]:
            best = (*key, weights)
    return best[2] if best is not None else PLAIN


def folds(asked: Sequence[Asked], k: int, seed: int = 0) -> list[np.ndarray]:
    """`k` folds of question rows, by article, each file spread over all of them."""
    rows: dict[tuple[str, str], list[int]] = {}
    for row, item in enumerate(asked):
        rows.setdefault((item.source, item.question.passage), []).append(row)
    keys = sorted(rows)
    random.Random(seed).shuffle(keys)
    keys.sort(key=lambda key: key[0])  # stable: shuffled within each file
    split: list[list[int]] = [[] for _ in range(k)]
    for number, key in enumerate(keys):
        split[number % k].extend(rows[key])
    return [np.array(sorted(fold)) for fold in split]


@dataclass(frozen=True)
class CrossValidation:
    chosen: list[TypeWeights]  # per fold, fitted without it
    held_out: dict[str, dict[str, float]]  # per file, every question scored in its own fold
    on_all: TypeWeights


def cross_validate(asked: Sequence[Asked], k: int, seed: int = 0) -> CrossValidation:
    table = Table.of(asked)
    grid = settings()
    chosen, hits, refusals = [], np.zeros(len(asked), bool), np.zeros(len(asked), bool)
    for fold in folds(asked, k, seed):
        training = np.setdiff1d(np.arange(len(asked)), fold)
        weights = fit(table.take(training), grid)
        chosen.append(weights)
        hit, refused = table.take(fold).decide(weights)
        hits[fold], refusals[fold] = hit, refused
    return CrossValidation(chosen, table.judge(hits, refusals), fit(table, grid))
