"""SQuAD's exact match and F1, checked against cases worked by hand."""

import pytest

from qa.eval.spans import exact_match, f1, normalise


@pytest.mark.parametrize(
    ("text", "normal"),
    [
        ("The Normans", "normans"),
        ("an apple, a pear and THE plum.", "apple pear and plum"),
        ("  £15–100,000  ", "£15–100000"),  # the en dash is not ASCII punctuation
        ('"Wise up or die."', "wise up or die"),
        ("Theatre", "theatre"),  # "the" only as a whole word
    ],
)
def test_normalisation_is_squads(text: str, normal: str) -> None:
    assert normalise(text) == normal


def test_exact_match_takes_the_best_gold_answer() -> None:
    assert exact_match("the 19th century", ["19th", "19th century"]) == 1.0
    assert exact_match("late 19th century", ["19th", "19th century"]) == 0.0


def test_f1_by_hand() -> None:
    # "nearly thousand missiles" against "thousand missiles": P = 2/3, R = 1, F1 = 0.8.
    assert f1("nearly a thousand missiles", ["a thousand missiles"]) == pytest.approx(0.8)
    # The best of several golds counts; sharing no word scores 0.
    assert f1("Denmark", ["Iceland", "Denmark, Iceland and Norway"]) == pytest.approx(0.4)
    assert f1("Norway", ["Sweden"]) == 0.0
    # Words count as a bag: "the" twice is removed, "new" once is matched once.
    assert f1("new new city", ["the new city"]) == pytest.approx(0.8)
    assert f1("", ["anything"]) == 0.0
