"""Fitting the answer-type weights on folds: the arithmetic decides as the engine does."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from qa.answer.answerer import decide
from qa.answer.ranking.typed import PLAIN, TypeWeights
from qa.engine import Engine
from qa.eval import folds
from qa.eval.datasets import Dataset, Passage, Question
from qa.eval.reading import contains_answer, load_corpus
from tests.conftest import FIXTURES

QUESTIONS: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "news_carmaker_jobs": [
        ("How many jobs will Velora Motors cut?", ("2,000",)),
        ("Who leads the union?", ("Paul Brennan",)),
        ("When did the company announce the cuts?", ("Monday",)),
        ("How much did Velora shares rise?", ("4%",)),
        ("How much will the redundancy terms cost?", ()),
        ("Why is Velora cutting jobs?", ("weak demand",)),
    ],
    "news_river_flood": [
        ("Who ordered the evacuation?", ()),
        ("How many homes were flooded?", ()),
        ("When did the river burst its banks?", ()),
    ],
}


@pytest.fixture
def asked(fake_engine: Engine) -> list[folds.Asked]:
    passages, questions = [], []
    for name, asked in QUESTIONS.items():
        passages.append(Passage(name, name, (FIXTURES / f"{name}.txt").read_text("utf-8")))
        for number, (text, answers) in enumerate(asked):
            questions.append(Question(f"{name}-{number}", name, text, answers))
    dataset = Dataset("fixtures.json", tuple(passages), tuple(questions))
    return folds.gather(fake_engine, dataset, load_corpus(fake_engine, dataset))


def test_the_table_decides_every_question_as_the_answerer_does(asked: list[folds.Asked]) -> None:
    table = folds.Table.of(asked)
    settings = [
        PLAIN,
        TypeWeights(),
        TypeWeights(typed=0.3, loose=1.0, fit=0.1, near=0.05, untyped=0.2, headline=0.4, depth=1),
        TypeWeights(typed=0.05, untyped=0.0, depth=5),
    ]
    for weights in settings:
        hit, refused = table.decide(weights)
        for row, item in enumerate(asked):
            decision = decide(item.evidence, weights)
            best = decision.ranked[0].hit.sentence.text
            assert refused[row] == (not decision.found), (item.question.text, weights)
            assert hit[row] == contains_answer(best, item.question.answers), item.question.text


def test_folds_keep_each_article_whole_and_cover_every_question(asked: list[folds.Asked]) -> None:
    split = folds.folds(asked, 2, seed=1)
    assert sorted(itertools.chain.from_iterable(map(list, split))) == list(range(len(asked)))
    for fold in split:
        articles = {asked[row].question.passage for row in fold}
        others = {asked[row].question.passage for f in split if f is not fold for row in f}
        assert not articles & others


def test_a_fitted_setting_never_answers_fewer_rightly_than_the_plain_ranking(
    asked: list[folds.Asked],
) -> None:
    table = folds.Table.of(asked)
    chosen = folds.fit(table)
    hit, refused = table.decide(chosen)
    plain_hit, plain_refused = table.decide(PLAIN)
    right, plain_right = hit & ~refused, plain_hit & ~plain_refused
    assert right[table.answerable].sum() >= plain_right[table.answerable].sum()
    result = folds.cross_validate(asked, 2)
    assert len(result.chosen) == 2 and set(result.held_out) == {"fixtures.json"}
    assert 0.0 <= result.held_out["fixtures.json"]["hit@1"] <= 1.0
    assert np.isfinite(list(result.held_out["fixtures.json"].values())).all()
