"""Reading articles: only the story of an HTML page is kept; limits give clear reasons."""

from pathlib import Path

import pytest

from qa.articles.annotate import annotate
from qa.articles.sources import MAX_ARTICLE_CHARS, UnusableArticle, collect, from_text, read_file
from tests.conftest import PAGES

# For each page: its title, sentences of the story that must be kept, and the text of
# everything around it (navigation, ads, byline, caption, related links, footer).
PAGES_EXPECTED = {
    "storm.html": (
        "Storm Arwen batters northern coast, thousands evacuated",
        [
            "forcing more than 4,000 residents to leave their homes",
            "“We have never seen the water come this far into the town,” said Mayor Tom Lee",
            "said Chief Inspector Maria Gomez of North Yorkshire Police.",
        ],
        [
            "cookies",
            "Subscribe",
            "ADVERTISEMENT",
            "Environment Correspondent",
            "Photograph: Sam Hill",
            "How to claim",
            "Most read",
            "Celebrity chef",
            "morning briefing",
            "All rights reserved",
            "dataLayer",
        ],
    ),
    "budget.html": (
        "City council approves record £2.1bn budget after all-night session",
        [
            "raising council tax by 4.9 per cent.",
            "“This is a budget that protects the most vulnerable people in our city,”",
            "The budget passed by 52 votes to 41, with three abstentions.",
        ],
        [
            "Log in",
            "Politics",
            "By Priya Shah",
            "Share on Facebook",
            "Photo: Metro Daily",
            "Switch your energy supplier",
            "You may also like",
            "TaxPayer99",
            "Cookie settings",
        ],
    ),
    "vaccine.html": (
        "Malaria vaccine cuts child deaths by a third in trial",
        [
            "reduced deaths among young children by 33 per cent",
            "“These are the strongest results we have ever seen for a malaria vaccine,”",
            "could make 100 million doses a year by 2028.",
        ],
        [
            "Donate",
            "Reporting by Daniel Okafor",
            "A nurse vaccinates",
            "Travel insurance",
            "More from Health Wire",
            "Accessibility",
            "NewsArticle",
        ],
    ),
}


@pytest.mark.parametrize("name", PAGES_EXPECTED)
def test_only_the_story_of_a_page_is_kept(name: str) -> None:
    title, kept, dropped = PAGES_EXPECTED[name]
    article = read_file(PAGES / name)
    assert article.title == title and article.id == Path(name).stem
    for sentence in kept:
        assert sentence in article.text
    for boilerplate in dropped:
        assert boilerplate not in article.text, boilerplate
    paragraphs = article.text.strip().split("\n\n")
    assert len(paragraphs) >= 5 and all(p.strip() for p in paragraphs)


def test_text_is_kept_exactly_and_markdown_without_its_markup(tmp_path: Path) -> None:
    plain = tmp_path / "notes.txt"
    plain.write_text("Council *votes*\n\nThe vote was 52 to 41.\n")
    assert read_file(plain).text == plain.read_text()
    markdown = tmp_path / "notes.md"
    markdown.write_text(
        "# Harbor Town orders *new* ferries\n\n"
        "The [council](https://example.org/council) voted **52 to 41**.\n\n"
        "- Two ferries arrive in `May`.\n> “We waited long enough,” said Ana Ruiz.\n"
    )
    article = read_file(markdown)
    assert article.title == "Harbor Town orders new ferries"
    assert article.text == (
        "Harbor Town orders new ferries\n\nThe council voted 52 to 41.\n\n"
        "Two ferries arrive in May.\n\n“We waited long enough,” said Ana Ruiz.\n"
    )
    assert article.source == str(markdown.resolve())


def test_folders_are_searched_and_other_files_refused(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("A.")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.HTML").write_text("<p>B.</p>")
    (tmp_path / "c.pdf").write_bytes(b"%PDF")
    found, skipped = collect([tmp_path])
    assert found == [tmp_path / "a.txt", tmp_path / "sub" / "b.HTML"]
    assert skipped == [f"{tmp_path / 'c.pdf'}: not a .txt, .md or .html file"]
    assert collect([tmp_path / "c.pdf"]) == ([], skipped)
    assert collect([tmp_path / "missing"]) == (
        [],
        [f"{tmp_path / 'missing'}: no such file or folder"],
    )


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("   \n\t", "has no text"),
        # Not blank to str.strip(), yet no sentence: indexed, it would break every question.
        ("\u200b\n\u200b …", "has no text"),
        ("x" * (MAX_ARTICLE_CHARS + 1), f"the limit is {MAX_ARTICLE_CHARS:,} characters"),
    ],
)
def test_unusable_texts_are_refused_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(UnusableArticle, match=reason):
        from_text(text)


def test_a_page_without_a_story_and_a_binary_file_are_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.html"
    empty.write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>")
    with pytest.raises(UnusableArticle, match="has no text"):
        read_file(empty)
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\xff\xd8\xff\xe0")
    with pytest.raises(UnusableArticle, match="is not UTF-8 text"):
        read_file(binary)


def test_control_characters_are_made_plain_when_an_article_is_read() -> None:
    """NUL, escapes and carriage returns never reach the stored text, which quotes slice,
    and a control character in the text cannot be taken for attribution's own marks."""
    raw = "Storm hits\r\n\r\n“We are\x01 ready,” said Mayor\x00 Ana Silva.\x1b[0m\r\n"
    article = from_text(raw, name="storm")
    assert not any(ord(c) < 32 and c not in "\n\t" for c in article.text)
    assert "\r" not in article.text and article.text.count("\n") == 3
    sentences = annotate(article.text).sentences
    assert [s.speaker for s in sentences if "ready" in s.text] == ["Ana Silva"]
    assert all(article.text[s.start : s.end] == s.text for s in sentences)
