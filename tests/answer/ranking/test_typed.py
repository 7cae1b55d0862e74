"""Re-ranking by answer type: the sentence that holds what was asked beats the lead."""

from __future__ import annotations

from qa.answer.ranking.typed import PLAIN, TypeWeights, candidates, lacks_answer, rerank
from qa.answer.reading.expected import expected
from qa.articles.annotate import annotate
from qa.records import Hit, Sentence

STORY = (
    "Deccan buys more planes\n\n"
    "Air Deccan has signed a deal to buy planes from ATR, the Franco-Italian maker.\n\n"
    "The airline will take 36 planes over five years, it said.\n\n"
    "Air Deccan chose ATR over Bombardier after a long evaluation.\n"
)
SENTENCES = annotate(STORY).sentences


def hits(*scores: float) -> list[Hit]:
    """Hits for the story's sentences, the first `len(scores)` of them, with these scores."""
    return [Hit(s, score, score, 0.0) for s, score in zip(SENTENCES, scores, strict=False)]


def first(question: str, scores: tuple[float, ...], weights: TypeWeights) -> Sentence:
    asked = expected(question)
    found = candidates(hits(*scores), asked, question, SENTENCES)
    return rerank(found, asked, weights)[0].hit.sentence


def test_the_sentence_holding_the_asked_number_beats_a_lead_that_names_everything() -> None:
    question = "How many planes is Air Deccan buying from ATR?"
    scores = (0.3, 0.7, 0.6, 0.3)
    assert first(question, scores, PLAIN).index == 1
    weights = TypeWeights(typed=0.15, untyped=0.1)
    assert first(question, scores, weights).text.startswith("The airline will take 36 planes")


def test_the_question_own_names_never_answer_it() -> None:
    question = "Which aircraft maker did Air Deccan choose besides ATR?"
    asked = expected(question)
    found = candidates(hits(0.1, 0.5, 0.5, 0.5), asked, question, SENTENCES)
    answers = {STORY[c.answer.start : c.answer.end] for c in found if c.answer is not None}
    assert "Bombardier" in answers
    assert not answers & {"Air Deccan", "ATR"}


def test_the_headline_is_known_and_loses_to_a_body_sentence() -> None:
    question = "What is Air Deccan buying?"
    found = candidates(hits(0.62, 0.6), expected(question), question, SENTENCES)
    assert [c.headline for c in found] == [True, False]
    assert first(question, (0.62, 0.6), TypeWeights(headline=0.1)).index == 1
    assert first(question, (0.62, 0.6), PLAIN).index == 0


def test_a_typed_question_none_of_whose_best_sentences_holds_its_kind_lacks_an_answer() -> None:
    question = "How much did Air Deccan pay?"
    asked = expected(question)
    found = rerank(candidates(hits(0.1, 0.5), asked, question, SENTENCES), asked, PLAIN)
    assert lacks_answer(found, asked, TypeWeights(depth=2))
    assert not lacks_answer(found, asked, TypeWeights(depth=0))
    assert not lacks_answer(found, None, TypeWeights(depth=2))
