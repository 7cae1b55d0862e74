"""Articles from files, pasted text and fetched pages: plain text, Markdown and HTML.

Plain text is kept as written (but for control characters, below), so offsets slice the
file itself. Markdown is
reduced to its text (`markdown`): headings, emphasis and link targets are markup, not
words anyone wrote in the story.
An HTML page is reduced to its story by trafilatura, which drops navigation, ads,
bylines, captions and footers; the extracted text, one paragraph per block, is then the
article, and quotes are exact slices of it. The title comes from the page's metadata,
or from the first line of a text. A page's byline (author, date, site name) is kept
beside its text, never in it. A page fetched from a link (`from_page`) has its canonical
address as its source, when the page names one on its own site; a page cannot claim
another site's address, and so replace that site's article.

Every article is checked here, once, for what the index cannot take: text that is not
UTF-8, an empty story, or more than `MAX_ARTICLE_CHARS` characters; and its control
characters are made plain (carriage returns end lines; the others become spaces).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from qa.articles.fetch import Page
from qa.articles.markdown import markdown_text
from qa.errors import UnusableArticle
from qa.records import Article, Publication

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
NO_STORY = "No article text found on that page."


@dataclass(frozen=True)
class Story:
    """What an HTML page holds for us: the story's paragraphs separated by blank lines
    (empty when there is none), its title, the address it gives for itself, its byline."""

    text: str
    title: str | None = None
    url: str = ""
    publication: Publication = field(default_factory=Publication)


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
        story = extract_html(content)
        source = str(path.resolve())
        return from_text(story.text, source, story.title, path.stem, story.publication)
    if path.suffix.lower() in MARKDOWN_SUFFIXES:
        text, title = markdown_text(content)
        return from_text(text, source=str(path.resolve()), title=title, name=path.stem)
    return from_text(content, source=str(path.resolve()), name=path.stem)


def from_page(page: Page) -> Article:
    """The article a fetched page holds; raises UnusableArticle if it holds none."""
    if page.media_type == "text/plain":
        text = _decoded(page)
        if not any(character.isalnum() for character in text):
            raise UnusableArticle(NO_STORY)
        return from_text(text, source=page.url)
    story = extract_html(_decoded(page), page.url)
    if not story.text:
        raise UnusableArticle(NO_STORY)
    source = _own_address(story.url, page.url)
    return from_text(story.text, source, story.title, publication=story.publication)


def from_text(
    text: str,
    source: str = PASTED,
    title: str | None = None,
    name: str = "",
    publication: Publication | None = None,
) -> Article:
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
        publication=publication or Publication(),
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


def extract_html(page: str, url: str | None = None) -> Story:
    """The story of an HTML page as paragraphs separated by blank lines, with its title,
    address and byline; `url` is where the page was fetched from, if it was."""
    import trafilatura  # a second of imports, needed only when a page is added

    document: Any = trafilatura.bare_extraction(
        page,
        url=url,
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
        return Story("")
    byline = Publication(
        author=_clean_title(str(found.get("author") or "")),
        date=str(found.get("date") or ""),
        site=_clean_title(str(found.get("sitename") or "")),
    )
    text = "\n\n".join(paragraphs) + "\n"
    return Story(text, found.get("title"), str(found.get("url") or ""), byline)


def _decoded(page: Page) -> str:
    """A page's text, by the charset its headers declare, else as its markup declares
    (or as it looks: trafilatura's guess)."""
    if page.charset:
        try:
            return page.body.decode(page.charset, errors="replace")
        except LookupError:  # a charset Python does not know
            pass
    from trafilatura.utils import decode_file

    return str(decode_file(page.body))


def _own_address(claimed: str, fetched: str) -> str:
    """The address the page gives for itself (its canonical link), if it is on the site
    it was fetched from; else the address it was fetched from.

    >>> _own_address("https://www.news.example/storm", "https://news.example/storm?ref=x")
    'https://www.news.example/storm'
    >>> _own_address("https://other.example/storm", "https://news.example/storm")
    'https://news.example/storm'
    """
    own = urljoin(fetched, claimed.strip()).split("#", 1)[0] if claimed.strip() else ""
    parts, there = urlsplit(own), urlsplit(fetched)
    if parts.scheme not in ("http", "https") or "@" in parts.netloc:
        return fetched
    same_site = _site(parts.netloc) == _site(there.netloc)
    return own if same_site else fetched


def _site(netloc: str) -> str:
    return netloc.lower().removeprefix("www.")


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
