from qa.records import Answer, Article, Citation, Sentence
from qa.render import article_html, escape_markdown, reply_markdown, sources_markdown

ARTICLE = Article("a1", "a1.txt", "He said: “*Smith* <script>x</script>”", "0" * 64)
SENTENCE = Sentence("s1", 0, 0, 0, len(ARTICLE.text), ARTICLE.text, "Jo Doe")


def test_markdown_specials_are_escaped() -> None:
    assert escape_markdown("*a* _b_ [c](d) <e>") == r"\*a\* \_b\_ \[c\]\(d\) \<e\>"


def test_article_html_is_text_with_anchors() -> None:
    page = article_html(ARTICLE, [SENTENCE], {"s1"}, {"s1"})
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert 'id="qa-s1"' in page and "qa-primary" in page


def test_reply_marks_refusals_and_rewrites() -> None:
    refused = reply_markdown(Answer("The article does not answer this.", False, None, []))
    assert refused.startswith("**🚫 Not in the article.**")
    rewritten = reply_markdown(Answer("X said: “y”", True, "What did Jo Doe say?", []))
    assert rewritten.startswith("_Interpreting your question as: What did Jo Doe say?_")


def test_sources_link_to_anchors_and_escape_quotes() -> None:
    citation = Citation("s1", "a1", ARTICLE.text, 0, len(ARTICLE.text), "Jo Doe", 0.5)
    text = sources_markdown([citation])
    assert text.startswith("- [s1](#qa-s1) · Jo Doe · score 0.50")
    assert r"\*Smith\*" in text and "<script>" not in text
