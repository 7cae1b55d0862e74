from dataclasses import replace

from qa.records import (
    AnnotatedArticle,
    Answer,
    Article,
    Citation,
    Publication,
    Sentence,
    ShortAnswer,
)
from qa.ui.render import article_html, escape_markdown, reply_markdown, sources_markdown

TEXT = "He said: “*Smith* <script>x</script>”"
ARTICLE = Article("a1", "<b>Title</b>", "a1.txt", TEXT, "0" * 64)
SENTENCE = Sentence("s1", 0, 0, 0, len(ARTICLE.text), ARTICLE.text, "Jo Doe")
ANNOTATED = AnnotatedArticle(ARTICLE, (SENTENCE,))


def test_markdown_specials_are_escaped() -> None:
    assert escape_markdown("*a* _b_ [c](d) <e>") == r"\*a\* \_b\_ \[c\]\(d\) \<e\>"


def test_article_html_is_text_with_anchors() -> None:
    page = article_html(ANNOTATED, {"s1"}, {"s1"})
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<b>" not in page and "&lt;b&gt;Title" in page
    assert 'id="qa-a1-s1"' in page and "qa-primary" in page


def test_a_linked_article_shows_its_byline_and_a_link_to_the_original() -> None:
    linked = replace(
        ARTICLE,
        source='https://news.example/a?x=1&y="2"',
        publication=Publication("Jo <Doe>", "2026-03-14", "The <i>Herald</i>"),
    )
    page = article_html(AnnotatedArticle(linked, (SENTENCE,)), set(), set())
    assert (
        '<p class="qa-byline">By Jo &lt;Doe&gt; · The &lt;i&gt;Herald&lt;/i&gt; · '
        '<time datetime="2026-03-14">14 March 2026</time> · <a class="qa-original" '
        'href="https://news.example/a?x=1&amp;y=&quot;2&quot;" target="_blank" '
        'rel="noopener noreferrer nofollow">Read the original</a></p>'
    ) in page
    assert page.index("qa-title") < page.index("qa-byline") < page.index('id="qa-a1-s1"')


def test_only_a_web_address_is_made_a_link() -> None:
    for source in ("javascript:alert(1)", "/srv/news/a.html", "pasted"):
        page = article_html(AnnotatedArticle(replace(ARTICLE, source=source), ()), set(), set())
        assert "qa-byline" not in page and "href" not in page


def test_reply_marks_refusals_and_rewrites() -> None:
    refused = reply_markdown(Answer("The article does not answer this.", False, None, []))
    assert refused.startswith("**🚫 Not in the article.**")
    rewritten = reply_markdown(Answer("X said: “y”", True, "What did Jo Doe say?", []))
    assert rewritten.startswith("_Interpreting your question as: What did Jo Doe say?_")


def test_sources_link_to_shareable_anchors_and_escape_quotes() -> None:
    citation = Citation(("s1",), "a1", "<b>Title</b>", TEXT, 0, len(TEXT), "Jo Doe", 0.5)
    text = sources_markdown([citation])
    assert r"- [s1](?article=a1#s1 " in text and "· Jo Doe · score 0.50" in text
    assert r"\*Smith\*" in text and "<script>" not in text


def test_reply_leads_with_the_short_answer_and_marks_it_in_the_quote() -> None:
    text = "Troops fired nearly a thousand missiles at the city."
    citation = Citation(("s1",), "a1", "Title", text, 0, len(text), None, 0.5)
    short = ShortAnswer("nearly a thousand", 13, 30)
    answer = Answer(f"The article says: “{text}”", True, None, [citation], short_answer=short)
    lines = reply_markdown(answer).splitlines()
    assert lines[0] == "**nearly a thousand**"
    assert (
        lines[2] == "The article says: “Troops fired **nearly a thousand** missiles at the city\\.”"
    )


def test_a_speakers_words_alone_still_mark_the_short_answer() -> None:
    text = "“We lost *two* ships,” Jo Doe said."
    citation = Citation(("s1",), "a1", "Title", text, 0, len(text), "Jo Doe", 0.5)
    short = ShortAnswer("two", text.index("two"), text.index("two") + 3)
    answer = Answer(
        "Jo Doe said: “We lost *two* ships,”", True, None, [citation], short_answer=short
    )
    assert "“We lost \\***two**\\* ships,”" in reply_markdown(answer)


def test_sources_name_one_article_once_and_several_on_each_line() -> None:
    one = [
        Citation((f"s{n}",), "a1", "A long title", TEXT, 0, len(TEXT), None, 0.5) for n in (1, 2, 3)
    ]
    assert sources_markdown(one).count("A long title") == 1
    two = [*one[:2], Citation(("s4",), "b2", "Another", TEXT, 0, len(TEXT), None, 0.4)]
    lines = sources_markdown(two).splitlines()
    assert "from _A long title_" in lines[0] and "from _Another_" in lines[-2]


def test_cited_sentences_are_labelled_for_screen_readers() -> None:
    page = article_html(ANNOTATED, {"s1"}, {"s1"})
    assert '<span class="qa-sr">Answer: </span><span id="qa-a1-s1"' in page
    assert '<span class="qa-sr">Source: </span>' in article_html(ANNOTATED, {"s1"}, set())
    assert "qa-sr" not in article_html(ANNOTATED, set(), set())
