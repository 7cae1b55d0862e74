import pytest

from qa.answer.ranking.focus import FocusCheck, focus_of
from tests.conftest import ARTICLE_TEXT
from tests.fakes import FakeEmbedder


@pytest.mark.parametrize(
    ("question", "focus"),
    [
        ("How many refugees have fled Ukraine?", ("refugees",)),
        ("how much money has the US given?", ("money",)),
        ("What is the population of Ukraine?", ("population",)),
        ("Where is NATO's headquarters?", ("headquarters",)),
        ("Where are the troops?", ("troops",)),
        ("What is the present-day location of the church?", ("present-day", "location")),
        ("What was the name of the colony?", None),  # a generic head says nothing
        ("How many Vice Presidents are there?", None),  # a name: the question reader's job
        ("What did Stoltenberg say?", None),
        ("Why is NATO united?", None),
        ("How much does each dose cost?", None),  # "does" is no focus
        ("How many did they fire?", None),
    ],
)
def test_focus_of_plain_question_shapes(question: str, focus: tuple[str, ...] | None) -> None:
    assert focus_of(question) == focus


def test_focus_is_covered_by_stem_and_refused_when_absent() -> None:
    embedder = FakeEmbedder()
    check = FocusCheck(ARTICLE_TEXT, embedder)
    sentence = "Russian troops have already fired nearly a thousand missiles at Ukraine."
    assert check.covered("missile", sentence, embedder)  # the same stem
    assert not check.covered("refugees", sentence, embedder)  # the fake knows no synonyms
