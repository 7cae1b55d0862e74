"""Typed mentions: what the parse finds in a sentence, as exact slices with their kinds."""

from __future__ import annotations

import pytest

from qa.articles.annotate import annotate
from qa.articles.mentions import mentions_of
from qa.articles.nlp import read


def found(sentence: str) -> list[tuple[str, str]]:
    return [(m.kind, sentence[m.start : m.end]) for m in read(sentence, mentions_of)]


def kinds(sentence: str, kind: str) -> list[str]:
    return [text for k, text in found(sentence) if k == kind]


def test_entities_keep_their_labels_and_lose_a_possessive_ending() -> None:
    sentence = "Gordon Brown's Budget was printed by the Evening Standard on 16 March."
    assert "Gordon Brown" in kinds(sentence, "PERSON")
    assert kinds(sentence, "DATE") == ["16 March"]


def test_a_number_knows_the_noun_it_counts() -> None:
    sentence = "Air Deccan will acquire 36 planes from ATR."
    (number,) = [m for m in read(sentence, mentions_of) if m.kind == "CARDINAL"]
    assert (sentence[number.start : number.end], number.unit) == ("36", "plane")
    assert "acquire" in number.context


@pytest.mark.parametrize(
    ("sentence", "measured"),
    [
        ("The company has been in talks for three years.", True),
        ("The deal was signed two years ago.", False),
        ("Sales fell last week.", False),
    ],
)
def test_a_duration_measures_time_where_a_date_places_it(sentence: str, measured: bool) -> None:
    assert bool(kinds(sentence, "DURATION")) is measured


def test_scores_are_two_small_numbers_joined_by_a_dash() -> None:
    assert kinds("Chelsea beat Portsmouth 2-1 on Saturday.", "SCORE") == ["2-1"]
    assert kinds("The ATR 72-500 is a turboprop built since 1988-1989.", "SCORE") == []


@pytest.mark.parametrize(
    ("sentence", "reason"),
    [
        (
            "The Argonaut group went into administration due to a severe cash crisis.",
            "due to a severe cash crisis",
        ),
        (
            "Icann has been reluctant to approve it because of the difficulty of policing it.",
            "because of the difficulty of policing it",
        ),
        (
            "Wal-Mart knew of the word because it had censored it on its website.",
            "because it had censored it on its website",
        ),
        (
            "He was jailed for using threatening behaviour towards a captain.",
            "for using threatening behaviour towards a captain",
        ),
        (
            "The show will be broadcast with a delay to allow censors to cut any swearing.",
            "to allow censors to cut any swearing",
        ),
        (
            "The reason for this is that it would have weakened the case for war.",
            "it would have weakened the case for war",
        ),
    ],
)
def test_reasons_are_found_by_their_markers(sentence: str, reason: str) -> None:
    clauses = kinds(sentence, "REASON") + kinds(sentence, "PURPOSE")
    assert any(reason in found for found in clauses)
    assert not kinds("The show was broadcast live on Friday.", "REASON")
    purpose = "The show will be broadcast with a delay to allow censors to cut any swearing."
    assert kinds(purpose, "PURPOSE") == ["to allow censors to cut any swearing"]


def test_a_year_is_a_date_wherever_it_is_written() -> None:
    sentence = "The Social Chapter is a chapter of the 1997 Treaty of Amsterdam."
    assert "1997" in kinds(sentence, "DATE")
    assert kinds("The plant will shed 1500 jobs.", "DATE") == []


def test_annotated_mentions_are_slices_of_the_article_inside_their_sentence() -> None:
    text = "Jobs cut\n\nVelora Motors will cut 1,200 jobs by March. It blamed weak sales."
    sentences = annotate(text).sentences
    assert [s.text for s in sentences][:2] == [
        "Jobs cut",
        "Velora Motors will cut 1,200 jobs by March.",
    ]
    body = sentences[1]
    spans = {(m.kind, text[m.start : m.end]) for m in body.mentions}
    assert ("CARDINAL", "1,200") in spans and ("DATE", "March") in spans
    for sentence in sentences:
        assert all(sentence.start <= m.start < m.end <= sentence.end for m in sentence.mentions)
