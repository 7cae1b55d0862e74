import json

import pytest

from qa.articles.people import find_people
from qa.articles.quotes import attribute
from qa.articles.segment import split_sentences
from tests.conftest import ARTICLE_TEXT, FIXTURES

EXPECTED = json.loads((FIXTURES / "speakers.json").read_text(encoding="utf-8"))


def labels(text: str) -> list[str | None]:
    return [s.speaker for s in attribute(text, split_sentences(text))]


def test_seed_article_speakers() -> None:
    found = labels(ARTICLE_TEXT)
    stoltenberg, zelenskyy = "Jens Stoltenberg", "Volodymyr Zelenskyy"
    assert found[0] is None  # reported speech with a scare quote is narration
    assert found[1:8] == [stoltenberg] * 7  # `“…,” Stoltenberg said` and `He added: “…”`
    assert found[8] is None
    assert found[9:22] == [zelenskyy] * 13  # `He also offered…: “…”` and a quote with no cue


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_news_shapes(name: str) -> None:
    assert labels((FIXTURES / name).read_text(encoding="utf-8")) == EXPECTED[name]


def test_speech_is_an_exact_slice_inside_the_quotation_marks() -> None:
    sentences = attribute(ARTICLE_TEXT, split_sentences(ARTICLE_TEXT))
    s4 = sentences[3]
    assert s4.speech is not None
    spoken = ARTICLE_TEXT[s4.speech.start : s4.speech.end]
    assert spoken.startswith("Because we have") and spoken.endswith("beyond Ukraine")
    s15 = sentences[14]
    assert s15.speech is not None
    assert (
        ARTICLE_TEXT[s15.speech.start : s15.speech.end]
        == "If that's too much, we offer an alternative."
    )


def test_people_keep_full_names_and_titles() -> None:
    people = {p.name: p for p in find_people(ARTICLE_TEXT)}
    assert set(people) == {"Jens Stoltenberg", "Volodymyr Zelenskyy"}
    assert "Stoltenberg" in people["Jens Stoltenberg"].aliases
    assert "president" in people["Volodymyr Zelenskyy"].roles


def test_a_closing_mark_after_a_year_is_not_an_inch_mark() -> None:
    text = 'Rates rose. "We set the goal in 2019" Jo Bloggs said. "It was too late."\n'
    assert labels(text) == [None, "Jo Bloggs", "Jo Bloggs"]
    measured = 'The screens measure 55" across. Ann Lee said it was "a bargain".\n'
    assert labels(measured) == [None, "Ann Lee"]


def test_an_unclosed_straight_quote_ends_where_the_next_one_opens() -> None:
    text = (
        'Jo Bloggs said the move was bold. "We believe it will work. '
        '"This is about trust." Prices fell.\n'
    )
    assert labels(text) == [None, "Jo Bloggs", "Jo Bloggs", None]


def test_a_quotation_with_no_cue_follows_the_narration_before_it() -> None:
    text = (
        '"We are ready," said Ann Lee.\n\nJo Bloggs, a rival, said the plan was weak.\n\n'
        '"It will fail."\n'
    )
    assert labels(text) == ["Ann Lee", None, "Jo Bloggs"]


def test_speech_is_still_an_exact_slice_with_dotted_titles() -> None:
    text = '"Taxes will fall," said Mr. John Smith. "Soon."\n'
    sentences = attribute(text, split_sentences(text))
    assert [s.speaker for s in sentences] == ["John Smith", "John Smith"]
    first = sentences[0]
    assert first.speech is not None
    assert text[first.speech.start : first.speech.end] == "Taxes will fall"
    assert text[first.start : first.end] == first.text
