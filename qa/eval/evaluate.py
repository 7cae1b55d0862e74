"""Measure answer quality on a question set, for the engine and a naive baseline side by side.

The baseline is the pipeline this project exists to beat: embed bare sentences, take the
top-k by cosine, abstain below the same similarity threshold, credit no speaker. Both
run in the same process on the same model, so the comparison is fair.

Metrics: hit@1, hit@3 and MRR over questions with expected sentences; abstention
precision and recall (abstaining is the positive class); speaker accuracy of the first
citation; and how often a follow-up's pronoun was resolved to the right person. That
every quote is an exact slice of the article is true by construction: it is checked, as
a guard that stops the evaluation, not reported as a figure.

Left out: per-question timing (see the benchmark) and statistical significance.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from qa.articles.segment import split_sentences
from qa.engine import Engine
from qa.eval.baselines import NaiveBaseline
from qa.eval.datasets import Dataset, Passage
from qa.eval.datasets import Question as DataQuestion
from qa.records import Answer, Turn

QUOTED = re.compile(r"“([^“”]*)”")
DEFAULT_SET = Path(str(resources.files("qa.data").joinpath("seed_questions.json")))


@dataclass(frozen=True)
class EvalQuestion:
    id: str
    kind: str
    question: str
    expected: tuple[str, ...] = ()
    speaker: str | None = None
    has_speaker: bool = False
    history: tuple[Turn, ...] = ()
    resolves_to: str | None = None


@dataclass
class Scores:
    """Running totals for one system; `row` turns them into the printed figures."""

    ranks: list[int | None] = field(default_factory=list)  # rank of first hit, None for a miss
    abstained_right: int = 0
    abstained_wrong: int = 0
    answered_unanswerable: int = 0
    speaker_right: int = 0
    speaker_total: int = 0
    resolved_right: int = 0
    resolved_total: int = 0
    misses: list[str] = field(default_factory=list)

    def row(self) -> dict[str, float]:
        hits = [rank for rank in self.ranks if rank is not None]
        answerable = len(self.ranks)
        abstained = self.abstained_right + self.abstained_wrong
        unanswerable = self.abstained_right + self.answered_unanswerable
        return {
            "hit@1": sum(r == 1 for r in hits) / max(answerable, 1),
            "hit@3": sum(r <= 3 for r in hits) / max(answerable, 1),
            "MRR": sum(1 / r for r in hits) / max(answerable, 1),
            "abstention precision": self.abstained_right / abstained if abstained else 1.0,
            "abstention recall": self.abstained_right / max(unanswerable, 1),
            "speaker accuracy": self.speaker_right / max(self.speaker_total, 1),
            "follow-ups resolved": self.resolved_right / max(self.resolved_total, 1),
        }


def load_questions(path: Path) -> list[EvalQuestion]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [
        EvalQuestion(
            id=item["id"],
            kind=item["kind"],
            question=item["question"],
            expected=tuple(item.get("expected", ())),
            speaker=item.get("speaker"),
            has_speaker="speaker" in item,
            history=tuple(Turn(h["role"], h["content"]) for h in item.get("history", ())),
            resolves_to=item.get("resolves_to"),
        )
        for item in data["questions"]
    ]


def as_dataset(questions: list[EvalQuestion], text: str, name: str) -> Dataset:
    """The questions without a conversation before them, about the one article `text`, in
    the shape of SQuAD data: each answer is the text of a sentence it expects, so that a
    cited sentence holds it only if it is that sentence."""
    sentences = {
        f"s{segment.index + 1}": text[segment.span.start : segment.span.end]
        for segment in split_sentences(text)
    }
    return Dataset(
        name,
        (Passage("seed", name, text),),
        tuple(
            DataQuestion(item.id, "seed", item.question, tuple(sentences[s] for s in item.expected))
            for item in questions
            if not item.history
        ),
    )


def check_verbatim(answer: Answer, text: str) -> None:
    """A guard, not a measurement: every citation, and every quotation the answer line
    holds, is an exact slice of the article, by construction. Raises if one is not."""
    quoted = [c.quote for c in answer.citations if text[c.start : c.end] != c.quote]
    for line in answer.answer.splitlines():
        quoted += [q for q in QUOTED.findall(line) if q not in text]
    if quoted:
        raise AssertionError(f"not a slice of the article: {quoted[0][:80]!r}")


def score_answer(scores: Scores, item: EvalQuestion, answer: Answer, text: str) -> None:
    check_verbatim(answer, text)
    if not item.expected:
        if answer.found:
            scores.answered_unanswerable += 1
            scores.misses.append(f"{item.id} answered")
        else:
            scores.abstained_right += 1
    else:
        rank = next(
            (
                n
                for n, c in enumerate(answer.citations, 1)
                if set(c.sentence_ids) & set(item.expected)
            ),
            None,
        )
        scores.ranks.append(rank if answer.found else None)
        if not answer.found:
            scores.abstained_wrong += 1
            scores.misses.append(f"{item.id} abstained")
        elif rank != 1:
            scores.misses.append(f"{item.id} rank {rank}")
        if item.has_speaker and answer.found and answer.citations:
            scores.speaker_total += 1
            scores.speaker_right += answer.citations[0].speaker == item.speaker
    if item.resolves_to:
        scores.resolved_total += 1
        scores.resolved_right += item.resolves_to in (answer.rewritten_question or "")


def evaluate(engine: Engine, questions: list[EvalQuestion], article_id: str) -> dict[str, Scores]:
    """Ask every question about the article `article_id` of the engine's corpus."""
    indexed = engine.indexed(article_id)
    baseline = NaiveBaseline(indexed, engine.embedder)
    results = {"engine": Scores(), "naive baseline": Scores()}
    text = indexed.article.text
    for item in questions:
        ours = engine.ask(item.question, list(item.history), article=article_id)
        score_answer(results["engine"], item, ours, text)
        score_answer(results["naive baseline"], item, baseline.ask(item.question), text)
    return results


def table(results: dict[str, Scores], questions: list[EvalQuestion]) -> str:
    """A Markdown table with one column per system."""
    names = list(results)
    rows = {name: results[name].row() for name in names}
    kinds: dict[str, int] = {}
    for item in questions:
        kinds[item.kind] = kinds.get(item.kind, 0) + 1
    lines = [
        f"{len(questions)} questions: " + ", ".join(f"{n} {k}" for k, n in kinds.items()),
        "",
        "| metric | " + " | ".join(names) + " |",
        "|---|" + "---:|" * len(names),
    ]
    for metric in rows[names[0]]:
        lines.append(f"| {metric} | " + " | ".join(f"{rows[n][metric]:.3f}" for n in names) + " |")
    lines.append("")
    lines.append("engine misses: " + (", ".join(results["engine"].misses) or "none"))
    return "\n".join(lines)
