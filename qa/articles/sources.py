"""Articles from files and pasted text: plain text, Markdown and HTML pages.

Plain text is kept as written (but for control characters, below), so offsets slice the
file itself. Markdown is
reduced to its text (`markdown`): headings, emphasis and link targets are markup, not
words anyone wrote in the story.
An HTML page is reduced to its story by trafilatura, which drops navigation, ads,
bylines, captions and footers; the extracted text, one paragraph per block, is then the
article, and quotes are exact slices of it. The title comes from the page's metadata,
or from the first line of a text.

Every article is checked here, once, for what the index cannot take: text that is not
UTF-8, an empty story, or more than `MAX_ARTICLE_CHARS` characters; and its control
characters are made plain (carriage returns end lines; the others become spaces).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from qa.articles.markdown import markdown_text
from qa.errors import UnusableArticle
from qa.records import Article

TEXT_SUFFIXES = (".txt",)
MARKDOWN_SUFFIXES = (".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm")
SUFFIXES = TEXT_SUFFIXES + MARKDOWN_SUFFIXES + HTML_SUFFIXES
MAX_ARTICLE_CHARS = 200_000  # about 30,000 words: a long feature is a tenth of this
MAX_TITLE_CHARS = 90
MIN_STORY_WORDS = 10
# Control characters (Unicode's Cc) other than the newline and the tab.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
PASTED = "pasted"
RECOVERED = "recovered"  # found in the index folder after its manifest was lost


def collect(paths: Iterable[Path]) -> tuple[list[Path], list[str]]:
    """The article files named by `paths`, folders searched recursively, in a stable order,
    and a one-line reason for each path or file in a folder that is not an article file.
    """
    found: list[Path] = []
    skipped: list[str] = []
    for path in paths:
        if path.is_dir():
            for inside in sorted(p for p in path.rglob("*") if p.is_file()):
                if inside.suffix.lower() in SUFFIXES:
                    found.append(inside)
                elif not inside.name.startswith("."):
                    skipped.append(f"{inside}: not a .txt, .md or .html file")
        elif path.suffix.lower() in SUFFIXES and path.exists():
            found.append(path)
        elif path.exists():
            skipped.append(f"{path}: not a .txt, .md or .html file")
        else:
            skipped.append(f"{path}: no such file or folder")
    return list(dict.fromkeys(found)), skipped


def read_file(path: Path) -> Article:
    """Read one article file; raises UnusableArticle with a one-line reason."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise UnusableArticle(f"cannot read {path}: {error.strerror}") from error
    try:
        content = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UnusableArticle(f"{path} is not UTF-8 text") from error
    if path.suffix.lower() in HTML_SUFFIXES:
        text, title = extract_html(content)
        return from_text(text, source=str(path.resolve()), title=title, name=path.stem)
    if path.suffix.lower() in MARKDOWN_SUFFIXES:
        text, title = markdown_text(content)
        return from_text(text, source=str(path.resolve()), title=title, name=path.stem)
    return from_text(content, source=str(path.resolve()), name=path.stem)


def from_text(text: str, source: str = PASTED, title: str | None = None, name: str = "") -> Article:
    """An article from its text, control characters made plain (`plain_text`); the id is a
    slug of `name` (or of the title)."""
    text = plain_text(text)
    if not any(character.isalnum() for character in text):  # "\u200b" is not blank, nor text
        raise UnusableArticle(f"{_where(source)}has no text")
    if len(text) > MAX_ARTICLE_CHARS:
        raise UnusableArticle(
            f"{_where(source)}is {len(text):,} characters long; "
            f"the limit is {MAX_ARTICLE_CHARS:,} characters"
        )
    title = _clean_title(title or "") or first_line_title(text)
    return Article(
        id=slug(name or title),
        title=title,
        source=source,
        text=text,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )


def plain_text(text: str) -> str:
    r"""`text` with its line ends as newlines and every other control character (NUL,
    escape, the C1 range…) as a space, so that what is stored, and quoted, is text a reader
    sees; the offsets of everything else are unchanged.

    >>> plain_text("Line one\r\nTwo\x00\x1b[31m\tend\r")
    'Line one\nTwo  [31m\tend\n'
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return CONTROL.sub(" ", text)


def extract_html(page: str) -> tuple[str, str | None]:
    """The story of an HTML page as paragraphs separated by blank lines, and its title."""
    import trafilatura  # a second of imports, needed only when a page is added

    document: Any = trafilatura.bare_extraction(
        page,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        favor_precision=True,
    )
    found: dict[str, Any] = document.as_dict() if document is not None else {}
    text = str(found.get("text") or "")
    paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
    if sum(len(p.split()) for p in paragraphs) < MIN_STORY_WORDS:  # a menu, not a story
        return "", None
    return "\n\n".join(paragraphs) + "\n", found.get("title")


def first_line_title(text: str) -> str:
    line = next(line for line in text.splitlines() if line.strip())
    return _clean_title(line.lstrip("#").strip())


def slug(text: str) -> str:
    """A short id made of lower-case letters, digits, `-` and `_`."""
    words = re.findall(r"[a-z0-9_]+", text.lower())
    return "-".join(words)[:48].strip("-_") or "article"


def _clean_title(title: str) -> str:
    title = " ".join(title.split())
    if len(title) > MAX_TITLE_CHARS:
        title = title[: MAX_TITLE_CHARS - 1].rstrip() + "…"
    return title


def _where(source: str) -> str:
    return "The pasted article " if source == PASTED else f"{source} "
