"""What `qa eval` runs: the seed's own question set, SQuAD or CoQA data, or labelled speakers.

SQuAD and CoQA passages are indexed into a corpus of their own: under `--index-dir` when
one is given (so that a second run reuses the vectors), otherwise in a temporary folder.
"""

from __future__ import annotations

import json
import math
import tempfile
from dataclasses import replace
from pathlib import Path

from qa.config import Config
from qa.engine import Engine
from qa.eval.datasets import load_coqa, load_speakers, load_squad
from qa.eval.evaluate import DEFAULT_SET, evaluate, load_questions, table
from qa.eval.reading import evaluate_reading, load_corpus, misses
from qa.eval.reading import table as reading_table
from qa.eval.speakers import score_speakers, speakers_table


def seed_set(question_set: str | None, article: str | None, config: Config) -> int:
    questions = load_questions(Path(question_set) if question_set else DEFAULT_SET)
    engine, _ = Engine.open(config)
    print(table(evaluate(engine, questions, article or engine.seed_id), questions))
    return 0


def reading(
    squad: Path | None,
    coqa: Path | None,
    config: Config,
    all_articles: bool,
    as_json: bool,
    index_dir: Path | None,
) -> int:
    """`index_dir` is a folder for this data's own corpus, given on the command line to
    keep its vectors for the next run; without one, a temporary folder is used."""
    dataset = load_squad(squad) if squad else load_coqa(coqa)  # type: ignore[arg-type]
    with tempfile.TemporaryDirectory(prefix="qa-eval-") as temporary:
        folder = index_dir or Path(temporary)
        engine, _ = Engine.open(replace(config, index_dir=folder))
        ids = load_corpus(engine, dataset)
        scope = "all" if all_articles else "own"
        tallies = evaluate_reading(engine, dataset, ids, scope)
    if as_json:
        figures = {name: tally.figures() for name, tally in tallies.items()}
        print(json.dumps(_finite(figures), indent=2))
        return 0
    answerable = sum(q.answerable for q in dataset.questions)
    where = "all passages at once" if all_articles else "each question asked of its own passage"
    print(
        reading_table(
            tallies,
            f"{dataset.name}: {len(dataset.passages)} passages, {len(dataset.questions)} "
            f"questions ({answerable} answerable); {where}",
        )
    )
    print("\nengine misses (first 15):")
    for line in misses(tallies["engine"]):
        print(f"- {line}")
    return 0


def speakers(folder: Path, as_json: bool) -> int:
    articles = load_speakers(folder)
    tally = score_speakers(articles)
    if as_json:
        print(json.dumps(_finite({"engine": tally.figures()}), indent=2))
        return 0
    labels = sum(len(a.labels) for a in articles)
    print(speakers_table(tally, f"{folder.name}: {len(articles)} articles, {labels} sentences"))
    print("\nwrong or missed credits:")
    for line in tally.wrong:
        print(f"- {line}")
    return 0


def _finite(figures: dict[str, dict[str, float]]) -> dict[str, dict[str, float | None]]:
    return {
        name: {k: (None if math.isnan(v) else round(v, 4)) for k, v in row.items()}
        for name, row in figures.items()
    }
