import pytest

from qa.answer.reading.question import analyse, clean
from qa.answer.reading.spelling import correct
from qa.answer.reading.vocabulary import Vocabulary
from tests.conftest import ARTICLE_TEXT, people_in

PEOPLE = people_in(ARTICLE_TEXT)
VOCABULARY = Vocabulary.of(ARTICLE_TEXT)


def read(question: str):
    return analyse(clean(question), PEOPLE, VOCABULARY)


def test_people_are_found_by_name_surname_or_title() -> None:
    assert read("What did Stoltenberg say?").people == {"Jens Stoltenberg"}
    assert read("What did the president ask for?").people == {"Volodymyr Zelenskyy"}
    assert read("What did NATO say?").people == frozenset()


def test_names_are_masked_out_of_the_content() -> None:
    assert read("What did Zelenskyy’s speech say about aircraft?").content == (
        "What did speech say about aircraft?"
    )


@pytest.mark.parametrize(
    ("question", "unknown"),
    [
        ("What did Joe Biden say?", ("Joe", "Biden")),
        ("What did Stoltenberg say about China?", ("China",)),
        ("What did American legislators ask?", ()),  # adjectives describe, they don't name
        ("What did NATO's chief say to US Congress?", ()),
    ],
)
def test_unknown_names(question: str, unknown: tuple[str, ...]) -> None:
    assert read(question).unknown_names == unknown


def test_spelling_uses_the_article_and_spares_real_words() -> None:
    dictionary = frozenset({"what", "did", "say", "about", "weather"})
    assert correct("What did Stoltenbreg say about groud forces?", VOCABULARY, dictionary) == (
        "What did Stoltenberg say about ground forces?"
    )
    assert correct("weather", VOCABULARY, dictionary) == "weather"
