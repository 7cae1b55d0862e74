import itertools

from qa.articles.segment import split_sentences
from tests.conftest import ARTICLE_TEXT


def test_seed_article_has_22_sentences_with_exact_offsets() -> None:
    segments = split_sentences(ARTICLE_TEXT)
    assert len(segments) == 22
    texts = [ARTICLE_TEXT[s.span.start : s.span.end] for s in segments]
    assert texts[3].startswith("Because we have a responsibility")
    assert texts[-1] == "The necessity to protect our sky.”"
    assert all(text == text.strip() and text for text in texts)


def test_sentences_are_ordered_and_do_not_overlap() -> None:
    segments = split_sentences(ARTICLE_TEXT)
    for before, after in itertools.pairwise(segments):
        assert before.span.end <= after.span.start
        assert before.paragraph <= after.paragraph
    assert [s.index for s in segments] == list(range(len(segments)))


def test_offsets_count_characters_not_bytes() -> None:
    text = "Zelenskyy’s “sky” — é. Second one here.\n\nNew paragraph."
    segments = split_sentences(text)
    assert [text[s.span.start : s.span.end] for s in segments] == [
        "Zelenskyy’s “sky” — é.",
        "Second one here.",
        "New paragraph.",
    ]
    assert segments[2].paragraph == 1
