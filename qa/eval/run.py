"""What `qa eval` runs: the seed's own question set, SQuAD or CoQA data, or labelled speakers.

SQuAD and CoQA passages are indexed into a corpus of their own, in a temporary folder,
never into the user's index. With `folds`, the answer-type weights are fitted on folds of
the SQuAD files' articles and scored on the folds left out (see `folds`).
"""

from __future__ import annotations

import json
import math
import tempfile
from collections.abc import Callable
from dataclasses import asdict, replace
from importlib import resources
from pathlib import Path
from typing import TypeVar

from qa.answer.ranking.typed import PLAIN, TypeWeights
from qa.articles.quotes import Rules
from qa.config import Config, default_article
from qa.engine import Engine
from qa.eval import folds
from qa.eval.datasets import Dataset, load_coqa, load_speakers, load_squad
from qa.eval.evaluate import DEFAULT_SET, as_dataset, evaluate, load_questions, table
from qa.eval.reading import evaluate_reading, kinds_of, kinds_table, load_corpus, misses
from qa.eval.reading import table as reading_table
from qa.eval.speakers import cross_validate, parse_all, score, seconds_table, speakers_table

F = TypeVar("F")  # what a fold's fit chooses: answer-type weights or attribution rules

CONVERSATIONS = Path(str(resources.files("qa.data").joinpath("conversations.json")))


def seed_set(question_set: str | None, article: str | None, config: Config) -> int:
    """A question set asked of its article (a file; by default the seed), in a corpus of
    its own: the evaluation never reads or writes the served index."""
    questions = load_questions(Path(question_set) if question_set else DEFAULT_SET)
    article_path = Path(article) if article else config.article_path
    with tempfile.TemporaryDirectory(prefix="qa-eval-") as temporary:
        engine, _ = Engine.open(
            replace(config, index_dir=Path(temporary), article_path=article_path)
        )
        print(table(evaluate(engine, questions, engine.seed_id), questions))
    return 0


def reading(
    datasets: list[Dataset],
    config: Config,
    all_articles: bool,
    as_json: bool,
    distractors: list[Path] | None = None,
) -> int:
    """Each data file asked in a corpus of its own passages (and of `distractors`, more
    articles to be told apart from them when every question is asked of all at once)."""
    report: dict[str, dict[str, dict[str, float | None]]] = {}
    for dataset in datasets:
        with tempfile.TemporaryDirectory(prefix="qa-eval-") as temporary:
            engine, _ = Engine.open(replace(config, index_dir=Path(temporary)))
            ids = load_corpus(engine, dataset)
            if distractors:
                engine.add_files(distractors)
            scope = "all" if all_articles else "own"
            tallies = evaluate_reading(engine, dataset, ids, scope)
            kinds = kinds_of(engine, dataset)
            articles = len(engine.articles)
        report[dataset.name] = _finite({name: t.figures() for name, t in tallies.items()})
        if as_json:
            continue
        answerable = sum(q.answerable for q in dataset.questions)
        where = f"all {articles} articles at once" if all_articles else "its own passage"
        title = (
            f"{dataset.name}: {len(dataset.passages)} passages, {len(dataset.questions)} "
            f"questions ({answerable} answerable); each question asked of {where}"
        )
        print(reading_table(tallies, title))
        print()
        print(kinds_table(tallies["engine"], kinds))
        print("\nengine misses (first 15):")
        for line in misses(tallies["engine"]):
            print(f"- {line}")
        print()
    if as_json:
        print(json.dumps(report, indent=2))
    return 0


def cross_validated(datasets: list[Dataset], config: Config, k: int, as_json: bool) -> int:
    """Fit the answer-type weights on `k` − 1 folds of the files' articles, and of our own
    sets (the seed's questions and our conversations, which must not fall), score the
    fold left out, and print the held-out figures beside the plain and shipped weights."""
    seed = default_article()
    own = [
        as_dataset(load_questions(DEFAULT_SET), seed.read_text("utf-8"), "seed questions"),
        load_coqa(CONVERSATIONS),
    ]
    asked: list[folds.Asked] = []
    for dataset in [*datasets, *own]:
        with tempfile.TemporaryDirectory(prefix="qa-eval-") as temporary:
            engine, _ = Engine.open(replace(config, index_dir=Path(temporary)))
            asked += folds.gather(engine, dataset, load_corpus(engine, dataset))
    result = folds.cross_validate(asked, k)
    whole = folds.Table.of(asked)
    rows = {
        "held-out folds": result.held_out,
        "plain ranking": whole.figures(PLAIN),
        "shipped weights": whole.figures(TypeWeights()),
        "fitted on all": whole.figures(result.on_all),
    }
    if as_json:
        found = {
            "folds": [asdict(w) for w in result.chosen],
            "fitted on all": asdict(result.on_all),
            "figures": {name: _finite(r) for name, r in rows.items()},
        }
        print(json.dumps(found, indent=2))
        return 0
    print(f"answer-type weights, {k} folds of articles")
    _print_fits(result.chosen, result.on_all, TypeWeights(), _weights)
    for source in result.held_out:
        print(f"\n{source}\n\n| | " + " | ".join(rows) + " |")
        print("|---|" + "---:|" * len(rows))
        for metric in result.held_out[source]:
            cells = " | ".join(f"{r[source][metric]:.3f}" for r in rows.values())
            print(f"| {metric} | {cells} |")
    return 0


def speakers(folder: Path, as_json: bool, k: int | None = None) -> int:
    """Speaker credits on labelled articles, by group and kind; with `k`, attribution's
    choices are fitted on folds of articles and the folds left out are reported."""
    articles = parse_all(load_speakers(folder))
    labels = sum(len(a.article.labels) for a in articles)
    title = f"{folder.name}: {len(articles)} articles, {labels} sentences"
    if k is None:
        tallies = score(articles)
        if as_json:
            print(json.dumps(_finite({n: t.figures() for n, t in tallies.items()}), indent=2))
            return 0
        print(speakers_table(tallies, f"{title}; the shipped rules"))
        print("\n" + seconds_table(articles))
        print("\nwrong or missed credits:")
        for line in tallies["all"].wrong:
            print(f"- {line}")
        return 0
    result = cross_validate(articles, k)
    if as_json:
        figures = {n: t.figures() for n, t in result.held_out.items()}
        found = {
            "folds": [asdict(r) for r in result.chosen],
            "fitted on all": asdict(result.on_all),
        }
        print(json.dumps({**found, "held out": _finite(figures)}, indent=2))
        return 0
    print(f"attribution's choices, {k} folds of articles")
    _print_fits(result.chosen, result.on_all, Rules(), _choices)
    print()
    print(
        speakers_table(result.held_out, f"{title}; each fold scored with choices fitted without it")
    )
    print(
        "\n" + speakers_table(score(articles), "the shipped rules on every article (not held out)")
    )
    return 0


def datasets(squad: list[Path], coqa: Path | None) -> list[Dataset]:
    return [load_squad(path) for path in squad] + ([load_coqa(coqa)] if coqa else [])


def _print_fits(chosen: list[F], on_all: F, shipped: F, describe: Callable[[F], str]) -> None:
    """What was fitted with each fold left out, on everything, and what ships."""
    for number, fitted in enumerate(chosen, 1):
        print(f"- fold {number} left out: {describe(fitted)}")
    print(f"- fitted on all: {describe(on_all)}")
    print(f"- shipped: {describe(shipped)}")


def _choices(rules: Rules) -> str:
    return ", ".join(f"{name} {value}" for name, value in asdict(rules).items())


def _weights(weights: TypeWeights) -> str:
    return ", ".join(f"{name} {value:g}" for name, value in asdict(weights).items())


def _finite(figures: dict[str, dict[str, float]]) -> dict[str, dict[str, float | None]]:
    return {
        name: {k: (None if math.isnan(v) else round(v, 4)) for k, v in row.items()}
        for name, row in figures.items()
    }
