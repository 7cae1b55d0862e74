"""What kind of answer a question asks for, read from its parse."""

from __future__ import annotations

import pytest

from qa.answer.reading.expected import Nouns, expected
from qa.search.embedding import WordVectors, make_embedder


@pytest.mark.parametrize(
    ("question", "kind", "noun"),
    [
        ("Who won best actor at the awards?", "person", ""),
        ("How many missiles has Russia fired at Ukraine?", "count", "missile"),
        ("How much did Blackburn offer for Savage?", "amount", ""),
        ("What share of its oil does India buy from abroad?", "amount", "share"),
        ("How far did Idowu jump at the trials?", "measure", ""),
        ("When will the EU decide on Turkey?", "time", ""),
        ("In what year did the war end?", "time", "year"),
        ("How long did the strike last?", "duration", ""),
        ("Where was the dossier found?", "place", ""),
        ("Which country hosted the summit?", "place", "country"),
        ("Which company is the likely buyer of the newspaper?", "organisation", "company"),
        ("Which film made the most money in Japan?", "title", "film"),
        ("What was the score in the final?", "score", "score"),
        ("Why did the games company collapse?", "reason", ""),
        ("What was the name of the fan who attacked Brown?", "person", "fan"),
    ],
)
def test_the_kind_is_read_from_the_wh_word_and_its_noun(
    question: str, kind: str, noun: str
) -> None:
    asked = expected(question)
    assert asked is not None and (asked.kind, asked.noun) == (kind, noun)


def test_what_someone_said_names_the_speaker_asked_about() -> None:
    asked = expected("What did German economy minister Wolfgang Clement say about the drop?")
    assert asked is not None and asked.kind == "speech"
    assert asked.subject.endswith("Wolfgang Clement")
    assert {"drop", "economy"} <= asked.lemmas


@pytest.mark.parametrize(
    "question",
    [
        "How did the mayor react?",
        "What kind of state was California admitted as?",
        "Is the bridge open?",
        "What happened next?",
    ],
)
def test_questions_of_no_kind_keep_the_plain_ranking(question: str) -> None:
    assert expected(question) is None


@pytest.mark.slow
def test_an_unlisted_noun_takes_the_kind_of_the_nearest_listed_one() -> None:
    embedder = make_embedder()
    nouns = Nouns(WordVectors(embedder))
    assert expected("Which broadcaster showed the final?") is not None  # listed
    assert expected("Which midfielder scored the winner?") is None  # not listed
    asked = expected("Which midfielder scored the winner?", nouns)
    assert asked is not None and asked.kind == "person"
    assert expected("What injury did he have?", nouns) is None
