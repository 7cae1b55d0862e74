"""The text of a Markdown article, without its markup, as readers see it rendered.

markdown-it-py (CommonMark) parses the file; every block that holds text (a heading, a
paragraph, a list item's paragraph, a quoted paragraph) becomes one paragraph of plain
text: emphasis marks, link targets, image addresses and heading hashes go, the words
stay. That plain text is what the corpus stores, so quotes are exact slices of it, as
for HTML pages. The first heading, if any, is the title.

Left out: tables (their cells run together) and raw HTML inside Markdown (dropped).
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.token import Token

# Inline tokens whose own content is text a reader sees.
TEXT_TOKENS = frozenset({"text", "code_inline"})


def markdown_text(source: str) -> tuple[str, str | None]:
    """The article's paragraphs separated by blank lines, and its first heading.

    >>> markdown_text("# Harbor *Town* orders\\n\\nThe [mayor](http://x) said **no**.\\n")
    ('Harbor Town orders\\n\\nThe mayor said no.\\n', 'Harbor Town orders')
    """
    tokens = MarkdownIt("commonmark").parse(source)
    paragraphs: list[str] = []
    title: str | None = None
    for position, token in enumerate(tokens):
        if token.type != "inline":
            continue
        text = " ".join(_plain(token.children or []).split())
        if not text:
            continue
        opener = tokens[position - 1] if position else None
        if title is None and opener is not None and opener.type == "heading_open":
            title = text
        paragraphs.append(text)
    return ("\n\n".join(paragraphs) + "\n" if paragraphs else ""), title


def _plain(children: list[Token]) -> str:
    parts = []
    for child in children:
        if child.type in TEXT_TOKENS:
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)
