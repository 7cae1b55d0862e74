"""Cues from the parse: the verb of saying, and whom its subject names."""

import pytest

from qa.articles.cues import cues_of
from qa.articles.nlp import read


def cues(sentence: str) -> list[tuple[str, str | None, str]]:
    return [
        (sentence[c.verb.start : c.verb.end], c.kind, c.said_by) for c in read(sentence, cues_of)
    ]


@pytest.mark.parametrize(
    ("sentence", "said_by"),
    [
        ("“It works,” said Keith Rockwell, WTO spokesman.", "Keith Rockwell"),
        ("Andrew Pendleton of Christian Aid said: “We are concerned.”", "Andrew Pendleton"),
        ("Radio 1's controller, Andy Parfitt, said: “It is a new era.”", "Andy Parfitt"),
        ("The letter, from the Home Office, says: “I am writing.”", "the Home Office"),
        ("But a UK Government official responded: “Even so.”", "a UK Government official"),
        ("“We really appreciate it,” he said.", "he"),
        ("Parker praised French films, saying: “Hollywood uses it.”", "Parker"),
    ],
)
def test_the_subject_is_named_as_the_parse_reads_it(sentence: str, said_by: str) -> None:
    assert said_by in [who for _, _, who in cues(sentence)]


def test_a_pronoun_and_a_description_say_what_they_may_stand_for() -> None:
    ((_, kind, _),) = cues("“We really appreciate it,” he said.")
    assert kind == "pronoun"
    (official,) = read("But a UK Government official responded: “Even so.”", cues_of)
    assert official.kind == "description" and official.label == ""
    (makers,) = read("Policy makers in Europe have called the slide “brutal”.", cues_of)
    assert makers.said_by == "Policy makers in Europe" and makers.label == "plural"


def test_a_passive_takes_its_agent_and_a_relative_clause_its_antecedent() -> None:
    assert cues("The strandings were described as “heartbreaking” by the department.") == [
        ("described", "description", "the department")
    ]
    found = cues("Homes flooded, said the Marlow Action Group, which described it as “chaos”.")
    assert ("described", "name", "the Marlow Action Group") in found


def test_the_clause_a_verb_governs_holds_its_quotation() -> None:
    sentence = "Chester Bennington called it “an honour” while Muse said it was “a surprise”."
    called, said = read(sentence, cues_of)
    honour, surprise = sentence.index("an honour"), sentence.index("a surprise")
    assert called.governs.start <= honour < called.governs.end
    assert said.governs.start <= surprise < said.governs.end
    assert not said.governs.start <= honour < said.governs.end


@pytest.mark.parametrize(
    "sentence",
    [
        "They store so-called “metadata” for two years.",
        "The shops, which had been “left in the dark”, welcomed the news.",
    ],
)
def test_no_verb_of_saying_no_cue(sentence: str) -> None:
    assert cues(sentence) == []


def test_according_to_is_a_cue_of_its_own() -> None:
    assert ("According", "name", "Milan Mandaric") in cues(
        "According to Milan Mandaric, the talks went on for weeks."
    )
