"""Answers across several articles, with the real model: the right article, quoted exactly."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.articles.sources import read_file
from qa.config import Config
from qa.engine import Engine
from qa.errors import UnknownArticle
from qa.eval.evaluate import DEFAULT_SET, load_questions
from qa.records import Answer
from tests.conftest import PAGES, SEED_ID

pytestmark = pytest.mark.slow

# question -> (article, sentence that answers, speaker of the first citation or None)
QUESTIONS = {
    "How many residents had to leave their homes because of the storm?": ("storm", "s2", None),
    "What did Mayor Tom Lee say about the water?": ("storm", "s4", "Tom Lee"),
    "How many severe flood warnings were issued?": ("storm", "s3", None),
    "How much did the budget set aside for social care?": ("budget", "s2", None),
    "How many votes did the budget pass by?": ("budget", "s5", None),
    # A quoted fragment inside reported speech is not attributed (see README).
    "What did Helen Brooks say about the library cuts?": ("budget", "s4", None),
    "How much does each vaccine dose cost to produce?": ("vaccine", "s5", None),
    "Who led the malaria vaccine study?": ("vaccine", "s3", "Amina Diallo"),
    "What did NATO say about ground forces?": (SEED_ID, "s3", "Jens Stoltenberg"),
}


@pytest.fixture(scope="module")
def corpus_engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    engine, _ = Engine.open(Config(index_dir=tmp_path_factory.mktemp("corpus")))
    engine.add([read_file(PAGES / name) for name in ("storm.html", "budget.html", "vaccine.html")])
    assert len(engine.articles) == 4
    return engine


def assert_verbatim(engine: Engine, answer: Answer) -> None:
    """Every quote is a slice of its own article's text, at its offsets."""
    for citation in answer.citations:
        text = engine.indexed(citation.article).article.text
        assert text[citation.start : citation.end] == citation.quote
        assert citation.article_title == engine.indexed(citation.article).article.title


@pytest.mark.parametrize("question", QUESTIONS)
def test_each_question_is_answered_from_its_article(corpus_engine: Engine, question: str) -> None:
    article, sentence, speaker = QUESTIONS[question]
    answer = corpus_engine.ask(question)
    first = answer.citations[0]
    assert answer.found, answer.answer
    assert (first.article, first.id) == (article, sentence), first
    assert speaker is None or (first.speaker or "").endswith(speaker)
    assert_verbatim(corpus_engine, answer)


def test_a_picked_article_is_the_only_one_cited(corpus_engine: Engine) -> None:
    answer = corpus_engine.ask("What did NATO say about ground forces?", article="budget")
    assert {c.article for c in answer.citations} == {"budget"}
    assert not answer.found, "the budget story says nothing about NATO"
    assert_verbatim(corpus_engine, answer)


def test_names_no_article_mentions_are_refused_for_all(corpus_engine: Engine) -> None:
    answer = corpus_engine.ask("What did Joe Biden say about the storm?")
    assert not answer.found
    assert answer.answer == "None of the 4 articles mentions Joe Biden, so none can answer this."
    assert_verbatim(corpus_engine, answer)


def test_the_seed_questions_still_find_the_seed_among_other_articles(
    corpus_engine: Engine,
) -> None:
    """The evaluation set, asked of all four articles instead of the seed alone."""
    answerable = [q for q in load_questions(DEFAULT_SET) if q.expected]
    from_seed = 0
    for item in answerable:
        answer = corpus_engine.ask(item.question, list(item.history))
        assert_verbatim(corpus_engine, answer)
        from_seed += answer.citations[0].article == SEED_ID
    assert from_seed / len(answerable) >= 0.95, f"{from_seed}/{len(answerable)}"


def test_unknown_article_is_a_clear_error(corpus_engine: Engine) -> None:
    with pytest.raises(UnknownArticle, match="There is no article 'nope'"):
        corpus_engine.ask("What happened?", article="nope")


def test_pasted_then_removed_article_is_no_longer_cited(
    corpus_engine: Engine, tmp_path: Path
) -> None:
    story = tmp_path / "bridge.txt"
    story.write_text(
        "Old bridge to close for repairs\n\n"
        "The Victoria Bridge will close for eight months from January for repairs costing "
        "£12m, the council said.\n\n"
        "“The bridge is 150 years old and it needs this work,” said engineer Rosa Klein.\n"
    )
    (change,) = corpus_engine.add([read_file(story)])
    question = "How long will the Victoria Bridge close for?"
    assert corpus_engine.ask(question).citations[0].article == change.article.id
    corpus_engine.remove([change.article.id])
    answer = corpus_engine.ask(question)
    assert change.article.id not in {c.article for c in answer.citations}
    assert not answer.found
