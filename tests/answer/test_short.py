"""The short answer: a verbatim span of the first citation, or nothing rather than a guess."""

from __future__ import annotations

import json

import pytest

from qa.answer.parse import parse
from qa.answer.short import read_question, short_answer
from qa.records import Citation, ShortAnswer
from tests.conftest import ROOT, SEED_TEXT

SQUAD = ROOT.parent / "shared" / "eval" / "squad2-dev.json"


def cite(text: str, sentence: str) -> Citation:
    start = text.index(sentence)
    end = start + len(sentence)
    return Citation(("s1",), "a", "Title", text[start:end], start, end, None, 1.0)


def answer(question: str, text: str, sentence: str | None = None) -> ShortAnswer | None:
    found = short_answer(question, text, cite(text, sentence or text))
    if found is not None:
        assert text[found.start : found.end] == found.text
    return found


def test_the_seed_question_gets_the_words_that_carry_the_number() -> None:
    sentence = "Russian troops have already fired nearly a thousand missiles at Ukraine."
    found = answer("How many missiles has Russia fired at Ukraine?", SEED_TEXT, sentence)
    assert found is not None and found.text.startswith("nearly a thousand")


def test_the_question_own_words_never_answer() -> None:
    text = "NATO is led by its secretary general, Jens Stoltenberg, a former prime minister."
    found = answer("Who leads NATO?", text)
    assert found is not None and found.text == "Jens Stoltenberg"
    assert answer("Who leads NATO?", "NATO met in Brussels on Friday.") is None


def test_times_and_places_are_entities_of_their_kind() -> None:
    text = "The bridge over the Rhine was opened in Cologne in March 1911 by the mayor."
    assert answer("When was the bridge over the Rhine opened?", text) == ShortAnswer(
        "March 1911", text.index("March"), text.index("March") + len("March 1911")
    )


@pytest.mark.parametrize(
    "question",
    ["Why did the bridge close?", "How did the mayor react?", "Is the bridge open?"],
)
def test_questions_with_no_short_answer_get_none(question: str) -> None:
    assert read_question(parse(question)) is None
    assert answer(question, "The bridge closed in 1911 because of floods.") is None


def test_what_kind_is_read_from_the_noun_it_asks_about() -> None:
    asked = read_question(parse("In what year did the war end?"))
    assert asked is not None and asked.kind == "time"
    asked = read_question(parse("How many missiles has Russia fired at Ukraine?"))
    assert asked is not None and (asked.kind, asked.head) == ("number", "missile")
    # Places and other things get no span: their rules were wrong too often.
    assert read_question(parse("What kind of state was California admitted as?")) is None
    assert read_question(parse("Where did the Normans settle?")) is None


@pytest.mark.skipif(not SQUAD.is_file(), reason="no ../shared/eval beside the project")
def test_every_short_answer_is_a_verbatim_slice_inside_its_citation() -> None:
    """Every SQuAD 2.0 dev question, against the sentence holding its gold answer (or the
    paragraph's first, for the unanswerable): whatever is given is the article's own text."""
    given = 0
    for article in json.loads(SQUAD.read_text("utf-8"))["data"]:
        for paragraph in article["paragraphs"]:
            text = paragraph["context"]
            for qa in paragraph["qas"]:
                gold = qa["answers"][0]["answer_start"] if qa["answers"] else 0
                start = text.rfind(". ", 0, gold) + 2 if text.rfind(". ", 0, gold) >= 0 else 0
                end = text.find(". ", gold)
                citation = cite(text, text[start : end + 1 if end >= 0 else len(text)])
                found = short_answer(qa["question"], text, citation)
                if found is not None:
                    given += 1
                    assert text[found.start : found.end] == found.text
                    assert citation.start <= found.start < found.end <= citation.end
    assert given > 30
