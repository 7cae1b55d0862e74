import json

import pytest

from qa.articles.annotate import annotate
from tests.conftest import ARTICLE_TEXT, FIXTURES

EXPECTED = json.loads((FIXTURES / "speakers.json").read_text(encoding="utf-8"))


def labels(text: str) -> list[str | None]:
    return [s.speaker for s in annotate(text).sentences]


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
    sentences = annotate(ARTICLE_TEXT).sentences
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
    people = {p.name: p for p in annotate(ARTICLE_TEXT).people}
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
    sentences = annotate(text).sentences
    assert [s.speaker for s in sentences] == ["John Smith", "John Smith"]
    first = sentences[0]
    assert first.speech is not None
    assert text[first.speech.start : first.speech.end] == "Taxes will fall"
    assert text[first.start : first.end] == first.text


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "Textile jobs go\n\n“The losers will be the poorest workers,” Andrew Pendleton "
            "of Christian Aid said.\n",
            "Andrew Pendleton",
        ),
        (
            "Quotas end\n\n“There will be a period of adjustment,” said Keith Rockwell, "
            "WTO spokesman.\n",
            "Keith Rockwell",
        ),
        (
            "Rebate row\n\nFrench president Jacques Chirac spoke first. Mr Chirac told "
            "reporters in Brussels: “It can no longer be justified.”\n",
            "Jacques Chirac",
        ),
        ("Archive opens\n\nDr Doug Williams of BT said: “The archive is vast.”\n", "Doug Williams"),
    ],
)
def test_the_speaker_is_the_person_the_subject_names_in_full(text: str, speaker: str) -> None:
    assert labels(text)[-1] == speaker


def test_he_is_the_last_speaker_not_the_last_name() -> None:
    text = (
        "OutKast win\n\nAndre 3000 thanked fans “for supporting OutKast throughout the "
        "years”, beside Big Boi. “We really appreciate it,” he said.\n"
    )
    assert labels(text)[-1] == "Andre 3000"


def test_a_quotation_with_no_cue_goes_on_from_indirect_speech() -> None:
    text = (
        "New show\n\nRadio 1 said the three DJs had been chosen for their knowledge.\n\n"
        "“It is widely accepted that he can never be replaced.”\n"
    )
    assert labels(text)[-1] == "Radio 1"


def test_a_place_or_a_bare_plural_is_never_a_speaker() -> None:
    assert labels("Talks stall\n\nFrance said: “We will not pay.”\n")[-1] is None
    assert labels("Dollar slides\n\nSome analysts said: “It will fall further.”\n")[-1] is None


def test_a_surname_two_people_share_is_the_one_named_last() -> None:
    text = (
        "Budget vote\n\nCouncillor Anna Kowalski opened the debate. Her rival, Marta "
        "Kowalski, spoke next. “It is a sad day,” Kowalski said.\n"
    )
    assert labels(text)[-1] == "Marta Kowalski"


def test_each_quotation_is_stored_with_its_cue_and_its_subject() -> None:
    text = "Rebate row\n\n“It can no longer be justified,” Mr Chirac told reporters.\n"
    reading = annotate(text)
    (quotation,) = reading.quotations
    assert text[quotation.span.start : quotation.span.end].startswith("“It can no longer")
    assert quotation.cue is not None and text[quotation.cue.start : quotation.cue.end] == "told"
    assert quotation.subject is not None
    assert text[quotation.subject.start : quotation.subject.end].endswith("Chirac")
