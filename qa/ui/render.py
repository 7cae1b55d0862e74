"""Render answers and the article for the chat UI, as inert text.

Article text and questions are shown as text, never as markup: Markdown special
characters are backslash-escaped (so `*Smith*` in a quote stays literal) and HTML is
entity-escaped. Each sentence of an article becomes a `<span id="qa-<article>-s7">`, so
a citation can scroll to it and highlight it; the `qa-` prefix keeps the ids clear of
a host page's own when the chat is embedded, and the article id keeps two articles'
sentences apart when both are shown. A source links to `?article=<id>#s7`, which is
also the address that opens the page at that sentence, so a copied link can be shared.
Cited sentences carry a label for screen readers, since outline and shading are not seen.
An article from a web page shows its byline under the title: author, site, date, and a
link to the original (only an `http(s)://` address is ever made a link).

Left out: any gradio import; this module only builds strings.
"""

from __future__ import annotations

import datetime
import html
import re
from urllib.parse import quote

from qa.records import (
    AnnotatedArticle,
    Answer,
    Article,
    Citation,
    ShortAnswer,
    in_quotation_marks,
    is_link,
)

# The original opens apart from the app, which it can neither reach nor be credited by.
REL = 'target="_blank" rel="noopener noreferrer nofollow"'
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~&$])")


def escape_markdown(text: str) -> str:
    """Make text render literally in Markdown.

    >>> escape_markdown("*Smith* <b>")
    '\\\\*Smith\\\\* \\\\<b\\\\>'
    """
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)


def reply_markdown(answer: Answer) -> str:
    """The chat reply: how a follow-up was read, then the answer or a plain refusal."""
    lines = []
    if answer.rewritten_question:
        lines.append(
            f"_Interpreting your question as: {escape_markdown(answer.rewritten_question)}_"
        )
        lines.append("")
    if answer.found:
        if answer.short_answer:
            lines.append(f"**{escape_markdown(answer.short_answer.text)}**")
            lines.append("")
        lines.append(_short_answer_marked(answer))
    elif answer.unsure:
        lines.append("**🤔 Maybe not in the article.** " + escape_markdown(answer.answer))
    else:
        lines.append("**🚫 Not in the article.** " + escape_markdown(answer.answer))
    return "\n".join(lines)


def _short_answer_marked(answer: Answer) -> str:
    """The answer line, escaped, with its short answer in bold inside the quote."""
    text, short = answer.answer, answer.short_answer
    if short is None or not answer.citations:
        return escape_markdown(text)
    first = answer.citations[0]
    quoted = text.find(first.quote)
    # A speaker's words alone are quoted without the attribution: find the span in them,
    # where it is written once only; twice, either could be the wrong one.
    opening = text.find("“") + 1
    if quoted < 0 and text.count(short.text, opening) != 1:
        return escape_markdown(text)
    at = quoted + short.start - first.start if quoted >= 0 else text.find(short.text, opening)
    end = at + len(short.text)
    if at < 0 or text[at:end] != short.text:
        return escape_markdown(text)
    marked = f"**{escape_markdown(text[at:end])}**"
    return escape_markdown(text[:at]) + marked + escape_markdown(text[end:])


def sources_markdown(citations: list[Citation]) -> str:
    """One line per citation: anchor link, speaker, score, and the exact quote.

    The article's title is said once above the list when every citation comes from one
    article, and on each line only when they come from several.
    """
    titles = list(dict.fromkeys(citation.article_title for citation in citations))
    lines = [f"From _{escape_markdown(titles[0])}_:", ""] if len(titles) == 1 else []
    for citation in citations:
        who = escape_markdown(citation.speaker or "narration")
        source = "" if len(titles) == 1 else f"from _{escape_markdown(citation.article_title)}_ · "
        lines.append(
            f"- [{citation.id}]({source_link(citation.article, citation.id)} "
            f'"Show {citation.id} in the article") · {who} · '
            f"{source}score {citation.score:.2f}  \n"
            f"  {escape_markdown(in_quotation_marks(citation.quote))}"
        )
    return "\n".join(lines)


def source_link(article_id: str, sentence_id: str) -> str:
    """The page's address at one sentence of one article (see `qa.js`, which follows it).

    >>> source_link("bridge", "s7")
    '?article=bridge#s7'
    """
    return f"?article={quote(article_id, safe='')}#{sentence_id}"


def anchor(article_id: str, sentence_id: str) -> str:
    """The element id of a sentence; article ids are slugs, so it is a valid id."""
    return f"qa-{article_id}-{sentence_id}"


def article_html(
    annotated: AnnotatedArticle,
    cited: set[str],
    primary: set[str],
    short: ShortAnswer | None = None,
) -> str:
    """The article as escaped HTML, one span per sentence; the answer's sentences stand out,
    and the short answer (offsets into this article) is marked inside its sentence."""
    article = annotated.article
    paragraphs: dict[int, list[str]] = {}
    for sentence in annotated.sentences:
        label, classes = "", "qa-sentence"
        if sentence.id in cited:
            role, marked = (
                ("Answer", "qa-primary") if sentence.id in primary else ("Source", "qa-cited")
            )
            # Screen readers hear what the outline and shading show (hidden on screen).
            label = f'<span class="qa-sr">{role}: </span>'
            classes += f" {marked}"
        speaker = html.escape(sentence.speaker or "narration", quote=True)
        paragraphs.setdefault(sentence.paragraph, []).append(
            f'{label}<span id="{anchor(article.id, sentence.id)}" class="{classes}" '
            f'title="{sentence.id} · {speaker}">'
            f"{_marked(article.text, sentence.start, sentence.end, short)}</span>"
        )
    body = "".join(f"<p>{' '.join(parts)}</p>" for parts in paragraphs.values())
    title = html.escape(article.title)
    return (
        # Focusable, so that keyboard users can scroll it (it scrolls on its own).
        f'<article class="qa-article" tabindex="0" aria-label="Article {html.escape(article.id)}">'
        f'<h3 class="qa-title">{title}</h3>{byline_html(article)}{body}</article>'
    )


def byline_html(article: Article) -> str:
    """Who wrote the article, where and when, and a link to the original; empty for an
    article whose page said none of it.

    >>> from qa.records import Publication
    >>> byline = Publication("Jo <b>", "2026-03-14")
    >>> shown = byline_html(Article("a", "T", "https://x.example/a", "", "", byline))
    >>> shown.split(" · ")[:2]
    ['<p class="qa-byline">By Jo &lt;b&gt;', '<time datetime="2026-03-14">14 March 2026</time>']
    >>> shown.endswith('href="https://x.example/a" ' + REL + ">Read the original</a></p>")
    True
    """
    found = article.publication
    parts = [f"By {html.escape(found.author)}"] if found.author else []
    parts += [html.escape(found.site)] if found.site else []
    if found.date:
        date = html.escape(found.date, quote=True)
        parts.append(f'<time datetime="{date}">{html.escape(shown_date(found.date))}</time>')
    if is_link(article.source):
        parts.append(
            f'<a class="qa-original" href="{html.escape(article.source, quote=True)}" '
            f"{REL}>Read the original</a>"
        )
    return f'<p class="qa-byline">{" · ".join(parts)}</p>' if parts else ""


def shown_date(iso: str) -> str:
    """A date as a reader writes it; anything that is not an ISO date, as it is.

    >>> shown_date("2026-03-04"), shown_date("March 2026")
    ('4 March 2026', 'March 2026')
    """
    try:
        day = datetime.date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{day.day} {day:%B %Y}"


def _marked(text: str, start: int, end: int, short: ShortAnswer | None) -> str:
    """`text[start:end]` escaped, with the short answer in a `<mark>` when it lies inside.

    >>> _marked("We fired two ships.", 0, 19, ShortAnswer("two", 9, 12))
    'We fired <mark class="qa-short">two</mark> ships.'
    """
    if short is None or not start <= short.start < short.end <= end:
        return html.escape(text[start:end])
    return (
        f"{html.escape(text[start : short.start])}"
        f'<mark class="qa-short">{html.escape(short.text)}</mark>'
        f"{html.escape(text[short.end : end])}"
    )
