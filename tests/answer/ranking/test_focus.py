import pytest

from qa.answer.ranking.focus import WORD, FocusCheck, focus_of
from qa.search.embedding import WordVectors
from tests.fakes import CountingEmbedder, FakeEmbedder


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
    check = FocusCheck(WordVectors(FakeEmbedder()))
    sentence = "Russian troops have already fired nearly a thousand missiles at Ukraine."
    assert check.covered("missile", sentence)  # the same stem
    assert not check.covered("refugees", sentence)  # the fake knows no synonyms


def test_only_the_words_of_checked_sentences_are_embedded_and_each_once() -> None:
    embedder = CountingEmbedder()
    check = FocusCheck(WordVectors(embedder))
    sentence = "Russian troops have already fired nearly a thousand missiles at Ukraine."
    assert not check.covered("refugees", sentence)
    words = len({word.lower() for word in WORD.findall(sentence)})  # "a" is not a word here
    assert embedder.queries == words + 1  # the sentence's words and the focus, not the article's
    assert not check.covered("refugees", sentence)
    assert embedder.queries == words + 1  # asked again: every word, the focus too, is kept
    assert not check.covered("refugee", "Civilians fled.")
    assert embedder.queries == words + 4  # only the new words are encoded


def test_the_least_recently_used_words_are_let_go_first() -> None:
    embedder = CountingEmbedder()
    words = WordVectors(embedder, capacity=2)
    first = words.of(["troops", "missiles"])
    assert first.shape == (2, embedder.dimension)
    words.of(["troops"])  # used again: "missiles" is now the oldest
    words.of(["refugees"])  # a third word: "missiles" goes
    assert embedder.queries == 3
    words.of(["troops", "refugees"])
    assert embedder.queries == 3
    again = words.of(["missiles", "missiles"])
    assert embedder.queries == 4  # encoded again, once for both
    assert (again == first[1]).all()
