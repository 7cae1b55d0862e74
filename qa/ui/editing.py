"""The editor's page, at `/edit`: add articles (upload, paste, or a link) and remove them.

It is built and mounted only when editors are configured (`QA_EDITOR_PASSWORD` or
`QA_EDITORS_FILE`), behind Gradio's own sign-in (see `server`). Every handler checks,
on the server and on every call, that the request comes from a signed-in editor, so a
request that somehow reached it without signing in changes nothing.

An article added here is held to the same limits as `qa add` (`MAX_ARTICLE_CHARS`), and
a link is fetched within the same fence (`QA_FETCH_ALLOW`, `QA_FETCH_MAX_BYTES`,
`QA_FETCH_TIMEOUT`): this page and the CLI are the only places that fetch.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from pathlib import Path
from typing import Any

from qa.config import go_offline

go_offline()  # before gradio is imported: it reads GRADIO_ANALYTICS_ENABLED once

import gradio as gr

from qa.engine import MAX_ARTICLE_CHARS
from qa.errors import UnknownArticle, UserError
from qa.records import Change
from qa.ui.render import escape_markdown
from qa.ui.runtime import engine, settings
from qa.ui.web import (
    ALL_ARTICLES,
    INTERNAL_ERROR,
    articles_shown,
    picker_update,
    shelf_markdown,
)

log = logging.getLogger("qa.web")

MAX_UPLOAD = "1mb"
NOT_AN_EDITOR = "Only a signed-in editor can change the articles."


class Editing:
    """The editor's handlers, for the editors named in `names`."""

    def __init__(self, names: Collection[str]) -> None:
        self._names = frozenset(names)

    def _signed_in(self, request: gr.Request | None) -> str | None:
        user = getattr(request, "username", None)
        return user if user in self._names else None

    def add_article(
        self, upload: str | None, pasted: str, title: str, request: gr.Request
    ) -> tuple[Any, ...]:
        """Add the uploaded file, or else the pasted text; say what happened in one line.

        Outputs: status, picker, shelf, and the upload, paste and title boxes, which are
        cleared on success and left as they were on a refusal, so nothing typed is lost.
        """
        kept = (gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip())
        editor = self._signed_in(request)
        if editor is None:
            return (NOT_AN_EDITOR, *kept)
        try:
            if upload:
                change = engine().add_file(Path(upload))
            elif pasted.strip():
                change = engine().add_text(pasted, title=title.strip() or None)
            else:
                return ("Choose a file or paste an article first.", *kept)
        except UserError as error:
            return (f"⚠️ {escape_markdown(str(error))}", *kept)
        except Exception:
            log.exception("adding an article failed")
            return (f"⚠️ {INTERNAL_ERROR}", *kept)
        return (*_added(editor, change), None, "", "")

    def add_link(self, link: str, request: gr.Request) -> tuple[Any, ...]:
        """Fetch the page at `link` and add its story; say what happened in one line.

        Outputs: status, picker, shelf and the link box, cleared on success and kept as
        typed on a refusal.
        """
        kept = (gr.skip(), gr.skip(), gr.skip())
        editor = self._signed_in(request)
        if editor is None:
            return (NOT_AN_EDITOR, *kept)
        if not link.strip():
            return ("Paste a link to a web page first.", *kept)
        try:
            change = engine().add_link(link)
        except UserError as error:
            return (f"⚠️ {escape_markdown(str(error))}", *kept)
        except Exception:
            log.exception("adding an article from a link failed")
            return (f"⚠️ {INTERNAL_ERROR}", *kept)
        return (*_added(editor, change), "")

    def remove_article(self, article: str, request: gr.Request) -> tuple[str, Any, str, str]:
        """Remove the article chosen in the picker."""
        if self._signed_in(request) is None:
            return NOT_AN_EDITOR, gr.skip(), gr.skip(), gr.skip()
        if article == ALL_ARTICLES:
            return "Pick the article to remove first.", gr.skip(), gr.skip(), gr.skip()
        try:
            change = engine().remove([article])[0]
        except UnknownArticle:
            return (
                "That article is already gone.",
                picker_update(ALL_ARTICLES),
                shelf_markdown(),
                "",
            )
        except Exception:
            log.exception("removing an article failed")
            return f"⚠️ {INTERNAL_ERROR}", gr.skip(), gr.skip(), gr.skip()
        log.warning(f"editor {request.username!r} removed the article {change.article.id}")
        said = escape_markdown(f"Removed “{change.article.title}”.")
        return (
            said,
            picker_update(ALL_ARTICLES),
            shelf_markdown(),
            articles_shown(None, ALL_ARTICLES),
        )


def _added(editor: str, change: Change) -> tuple[str, Any, str]:
    """The status line, picker and shelf after an article was added, replaced or kept."""
    entry = change.article
    log.warning(f"editor {editor!r} {change.action} the article {entry.id}")
    said = {
        "added": f"Added “{entry.title}” ({entry.sentences} sentences).",
        "replaced": f"Updated “{entry.title}” ({entry.sentences} sentences).",
        "unchanged": f"“{entry.title}” is already here, unchanged.",
        "removed": "",
    }[change.action]
    return escape_markdown(said), picker_update(entry.id), shelf_markdown()


def build_editor(names: Collection[str]) -> gr.Blocks:
    """The editor's page; `names` are the editors whose requests may change the corpus."""
    editing = Editing(names)
    with gr.Blocks(title="Edit the articles", fill_width=True) as page:
        gr.Markdown(
            "## Edit the articles\nAdd or remove the articles readers can ask about. "
            "[Back to asking](/)"
        )
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=320):
                shelf = gr.Markdown(elem_id="qa-shelf-list")
                upload = gr.File(
                    label=f"Upload an article (.txt, .md or .html, up to {MAX_UPLOAD})",
                    file_types=[".txt", ".md", ".html", ".htm"],
                    type="filepath",
                    elem_id="qa-upload",
                )
                title = gr.Textbox(label="Title of a pasted article (optional)", max_lines=1)
                pasted = gr.Textbox(
                    label=f"…or paste an article (up to {MAX_ARTICLE_CHARS:,} characters)",
                    lines=6,
                    elem_id="qa-paste",
                )
                add = gr.Button("Add article", variant="primary", elem_id="qa-add")
                link = gr.Textbox(
                    label="Add from a link",
                    placeholder="https://news.example/2026/03/story",
                    max_lines=1,
                    elem_id="qa-link",
                )
                fetch = gr.Button("Fetch and add", elem_id="qa-add-link")
                picker = gr.Dropdown(
                    label="Article", elem_id="qa-picker", choices=[("All articles", "")]
                )
                remove = gr.Button("Remove this article", elem_id="qa-remove")
                status = gr.Markdown(elem_id="qa-status")
            with gr.Column(scale=2, min_width=320):
                panel = gr.HTML(elem_id="qa-article")
        add.click(
            editing.add_article,
            [upload, pasted, title],
            [status, picker, shelf, upload, pasted, title],
            api_visibility="private",
        )
        for event in (fetch.click, link.submit):
            event(
                editing.add_link,
                link,
                [status, picker, shelf, link],
                api_visibility="private",
            )
        remove.click(
            editing.remove_article,
            picker,
            [status, picker, shelf, panel],
            api_visibility="private",
        )
        picker.change(
            lambda chosen: articles_shown(None, chosen), picker, panel, api_visibility="private"
        )
        page.load(
            lambda: (
                articles_shown(None, ALL_ARTICLES),
                picker_update(ALL_ARTICLES),
                shelf_markdown(),
            ),
            None,
            [panel, picker, shelf],
            api_visibility="private",
        )
    page.queue(default_concurrency_limit=1, max_size=settings().queue_size)
    return page
