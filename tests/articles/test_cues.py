import pytest

from qa.articles.cues import Context, speaker_after, speaker_around, speaker_before
from qa.articles.people import find_people

TEXT = (
    "Velora Motors said profits fell. Union leader Paul Brennan agreed, as did the "
    "Transport Workers Union. Critics were unhappy; some critics said so."
)


def context() -> Context:
    return Context(TEXT, find_people(TEXT), organisations=["Velora Motors"])


@pytest.mark.parametrize(
    ("narration", "speaker"),
    [
        ("IBM described the step as a ", "IBM"),
        ("Union leader Paul Brennan said workers felt ", "Paul Brennan"),
        ("Mr Brennan strongly warned against making a ", "Paul Brennan"),
        ("Paul Brennan, a union leader since 2010, said: ", "Paul Brennan"),
        ("The company said it would offer ", "Velora Motors"),
        ("The union said the plan was ", "Transport Workers Union"),
        ("Paul Brennan posted to Twitter asking if there were ", "Paul Brennan"),
        ("Critics said the plan was ", None),  # a common word at a sentence's start
        ("Shops, which had been ", None),  # no verb of saying: a scare quote
        ("They store so-called ", None),  # "called" inside "so-called" is no cue
        ("A stranding that was described as ", None),  # a passive with no agent
    ],
)
def test_speaker_before(narration: str, speaker: str | None) -> None:
    assert speaker_before(narration, len(TEXT), context()) == speaker


def test_it_is_the_organisation_the_sentence_opens_with() -> None:
    narration = "The Transport Workers Union has produced a report which it describes as "
    assert speaker_before(narration, len(TEXT), context()) == "Transport Workers Union"


def test_passive_agent_and_according_to() -> None:
    ctx = context()
    before = "The flooding was described as \x01"
    assert speaker_around(before, " by the union.", 0, ctx) is None  # no union named yet
    assert speaker_around(before, " by the union.", len(TEXT), ctx) == "Transport Workers Union"
    assert speaker_around("According to Paul Brennan, the plan ", "", 0, ctx) == "Paul Brennan"
    assert speaker_around("Costs rose, according to analysts, and ", "", 0, ctx) is None


def test_speaker_after_reads_the_cue_that_follows_a_quotation() -> None:
    ctx = context()
    assert speaker_after(", said Mr Brennan, a union leader.", 0, ctx, anywhere=False) == (
        "Paul Brennan"
    )
    tail = " to hold up on their plans, Brennan said."  # past the cue's first few words
    assert speaker_after(tail, 0, ctx, anywhere=False) is None
    assert speaker_after(tail, 0, ctx, anywhere=True) == "Paul Brennan"
    assert speaker_after(", the company said.", 0, ctx, anywhere=False) == "Velora Motors"
