"""The reader's page and API: the chat, the article panel, `/ask`, `/articles`, `/article`.

Building the Blocks is cheap; the engine (and its model) loads once, on first use or
when the server warms it (see `runtime`, `server`). Nothing here writes: adding and
removing articles is the editor's page (`editing`), served only to signed-in editors,
and the reader's page registers no handler that could change the corpus.

- a user's mistake gets a friendly message; anything else is logged here and the user
  sees a generic one, never a traceback;
- one client's questions are bounded per minute (`Config.asks_per_minute`, see
  `access.RateLimit`); past that it is told how long to wait, and others are unaffected;
- the page's address can carry a question and an article (`/?q=…&article=<id>`): it
  opens asking it. `#s7` after it opens the article at that sentence (see `qa.js`);
- "Ask about" changes only when the reader changes it, or when the chosen article is
  removed, and then the page says so. The example questions are the seed article's,
  offered only while they can be answered: for the seed, or all articles with the seed.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from qa.config import SEED_NAME, go_offline

go_offline()  # before gradio is imported: it reads GRADIO_ANALYTICS_ENABLED once

import gradio as gr

from qa.errors import UserError
from qa.records import Answer
from qa.ui.access import RateLimit, client_of, forwarded_for, is_loopback
from qa.ui.history import turns_from_messages
from qa.ui.render import (
    article_html,
    escape_markdown,
    reply_markdown,
    sources_markdown,
)
from qa.ui.runtime import engine, settings

log = logging.getLogger("qa.web")

# How often an open page checks whether articles were added or removed elsewhere.
CATCH_UP_SECONDS = 5
SHOWN_QUESTION = 600  # characters of a question echoed into the chat
ALL_ARTICLES = ""  # the picker's value for "ask about every article"
INTERNAL_ERROR = "Sorry, something went wrong on our side. Please try again."
CHOICE_REMOVED = "The article you chose was removed; now asking about all articles."
LINK_UNKNOWN = "The linked article is not here; asking about all articles."
# The shipped seed's id: its file name, a slug already. A corpus started with another
# article (`QA_ARTICLE`) has no example questions.
SEED_ID = Path(SEED_NAME).stem
# Questions the seed article answers (one is a follow-up); no other article has any.
SEED_EXAMPLES = [
    "What did NATO say about ground forces?",
    "What did Zelenskyy ask the US Congress for?",
    "What alternative did he offer?",
    "How many missiles has Russia fired at Ukraine?",
]
_asks: list[RateLimit] = []
_asks_lock = threading.Lock()
_warned: list[str] = []


def ask(
    question: str,
    history: list[dict] = [],  # noqa: B006 (never mutated)
    article: str = ALL_ARTICLES,
    request: gr.Request = None,  # type: ignore[assignment]  # Gradio fills it in
) -> dict[str, Any]:
    """Answer a question about the articles with exact, attributed quotes from them.

    Args:
        question: the reader's question in plain words, up to 500 characters.
        history: earlier turns, oldest first, as {"role", "content"}; lets follow-ups be read.
        article: an article id from `articles` to ask that article only; empty for all.

    Returns:
        The answer contract, as JSON: `answer` (one line quoting the best passage, or why
        there is none), `found`, `unsure` (a refusal that still quotes a likely passage),
        `rewritten_question` (a follow-up as it was read), `short_answer` (the few words
        that answer, `{text, start, end}` in the first citation's article, or null) and
        `citations`, best first, each with `id`, `article`, `article_title`, `quote`,
        `start`, `end`, `speaker` and `score`; the article's text `[start:end]` is
        exactly `quote`.
    """
    _within_rate(request)
    return _answer(question, history, article).to_dict()


def articles(request: gr.Request = None) -> list[dict[str, Any]]:  # type: ignore[assignment]
    """The articles that can be asked about.

    Returns:
        As JSON, one entry per article: `id`, `title`, `source` (a file name, or the
        page's address), `url` (the original page, for an article added from a link),
        `author`, `date` (ISO) and `site` (the page's byline; null where unknown) and
        `sentences` (how many). Use an id as `article` in `ask`, or as `article_id` in
        `article`.
    """
    _within_rate(request)
    return [summary.to_dict() for summary in engine().articles]


def article(article_id: str, request: gr.Request = None) -> dict[str, Any]:  # type: ignore[assignment]
    """One article's full text, sentence by sentence, with who speaks in each.

    Args:
        article_id: an id from `articles`, or from a citation's `article`.

    Returns:
        As JSON: `id`, `title`, `source`, `url`, `author`, `date`, `site` (as in
        `articles`), `text`, and `sentences`, each with its `id` (as in citations),
        `start`, `end` (`text[start:end]` is the sentence) and `speaker` (the person or
        organisation quoted in it, or null for narration).
    """
    _within_rate(request)
    try:
        return engine().article(article_id).to_dict()
    except UserError as error:
        raise gr.Error(str(error), print_exception=False) from None


def ping() -> str:
    """A health check that never touches the engine: answers "ok" while the server serves."""
    return "ok"


def respond(
    message: str, history: list[dict], article: str, request: gr.Request
) -> tuple[list[dict], str, str]:
    """The chat: append the question and the grounded reply; highlight what it cites."""
    history = list(history or [])
    try:
        _within_rate(request)
        answer = _answer(message, history, article)
    except gr.Error as error:
        history += [_user(message), {"role": "assistant", "content": f"⚠️ {error.message}"}]
        return history, gr.skip(), ""
    history += [
        _user(message),
        {"role": "assistant", "content": reply_markdown(answer)},
    ]
    if answer.citations:
        history.append(
            {
                "role": "assistant",
                "content": sources_markdown(answer.citations),
                "metadata": {"title": f"Sources ({len(answer.citations)})", "status": "done"},
            }
        )
    return history, articles_shown(answer, article), ""


def build() -> gr.Blocks:
    with gr.Blocks(title="Ask the articles", fill_width=True) as demo:
        gr.Markdown("# Ask the articles\nEvery answer quotes an article word for word.")
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=320):
                picker = gr.Dropdown(
                    label="Ask about", elem_id="qa-picker", choices=[("All articles", "")]
                )
                note = gr.Markdown(elem_id="qa-picker-note", visible=False)
                chatbot = gr.Chatbot(
                    label="Answers",
                    elem_id="qa-chat",
                    height=520,
                    buttons=["copy", "copy_all"],
                    feedback_options=None,
                    placeholder="Ask about the articles; answers come with exact quotes.",
                )
                question = gr.Textbox(
                    elem_id="qa-question",
                    show_label=False,
                    placeholder="Ask a question and press Enter",
                    max_lines=4,
                    submit_btn=True,
                )
                examples = gr.Examples(SEED_EXAMPLES, inputs=question, label="Try").dataset
                with gr.Accordion("Articles", open=False, elem_id="qa-shelf"):
                    shelf = gr.Markdown(elem_id="qa-shelf-list")
            with gr.Column(scale=2, min_width=320):
                gr.Markdown("## The article\nThe answer is outlined; the other sources are shaded.")
                panel = gr.HTML(elem_id="qa-article")
        question.submit(
            respond,
            [question, chatbot, picker],
            [chatbot, panel, question],
            api_visibility="private",
        )
        # `input`, not `change`: the page's own updates of the picker redraw nothing twice.
        picker.input(
            lambda chosen: (articles_shown(None, chosen), examples_for(chosen), note_update("")),
            picker,
            [panel, examples, note],
            api_visibility="private",
        )
        listed = gr.State(())  # the article ids this page lists, to notice a change
        linked = gr.State("")  # the question the page's address asks, if any
        demo.load(
            opened,
            None,
            [panel, picker, shelf, examples, note, listed, linked],
            api_visibility="private",
        ).then(
            ask_linked,
            [linked, chatbot, picker],
            [chatbot, panel, question],
            api_visibility="private",
        )
        # Articles added or removed elsewhere (`qa add`, an editor) reach an open page.
        gr.Timer(CATCH_UP_SECONDS).tick(
            catch_up,
            [picker, listed],
            [picker, shelf, listed, examples, note, panel],
            api_visibility="private",
            queue=False,
        )
        gr.api(ask, api_name="ask")
        gr.api(articles, api_name="articles")
        gr.api(article, api_name="article")
        gr.api(ping, api_name="ping")
    config = settings()
    demo.queue(default_concurrency_limit=config.concurrency, max_size=config.queue_size)
    return demo


def _answer(question: str, history: list[dict] | None, article: str = ALL_ARTICLES) -> Answer:
    try:
        turns = turns_from_messages(history)
        return engine().ask(question, turns, article=article or None)
    except UserError as error:
        raise gr.Error(str(error), print_exception=False) from None
    except Exception:
        log.exception("answering failed")
        raise gr.Error(INTERNAL_ERROR, print_exception=False) from None


def rate_limit() -> RateLimit:
    """The one per-client allowance that asking, listing and reading articles share, over
    the page, the API and MCP alike."""
    with _asks_lock:
        if not _asks:
            _asks.append(RateLimit(settings().asks_per_minute))
        return _asks[0]


def _within_rate(request: gr.Request | None) -> None:
    """Raise a friendly error when this client has asked too much this minute."""
    config = settings()
    if request is None or request.client is None:
        return
    peer = request.client.host
    forwarded = forwarded_for(request.headers.items())
    client = client_of(peer, forwarded, config.trusted_proxies)
    if is_loopback(client) and peer not in config.trusted_proxies:
        warn_of_an_untrusted_proxy(peer, forwarded)
        return
    wait = rate_limit().wait_needed(client)
    if wait > 0:
        message = f"Too many questions; please try again in {max(1, round(wait))} s."
        raise gr.Error(message, print_exception=False)


def warn_of_an_untrusted_proxy(peer: str, forwarded: str | None) -> None:
    """Once: requests come from loopback with `X-Forwarded-For`, as from a reverse proxy on
    this host that is not named in `QA_TRUSTED_PROXIES`. Then every client looks like the
    server itself, which is never rate-limited: the limits fail open."""
    if forwarded and not _warned:
        _warned.append(peer)
        log.warning(
            f"requests from {peer} carry X-Forwarded-For: if a reverse proxy runs on this "
            "host, name it in QA_TRUSTED_PROXIES, or no client is rate-limited"
        )


def _user(message: str) -> dict:
    """The question as the chat shows it: literal text, and no 1 MB paste kept in state."""
    shown = message if len(message) <= SHOWN_QUESTION else message[:SHOWN_QUESTION] + " …"
    return {"role": "user", "content": escape_markdown(shown)}


def articles_shown(answer: Answer | None, chosen: str) -> str:
    """The cited articles, the answering one first; with no citation, the chosen article."""
    current = engine()
    ids = _listed_ids()  # one may be removed as this runs
    if answer is not None and answer.citations:
        outlined = answer.found or answer.unsure  # an unsure answer still quotes its passage
        primary = set(answer.citations[0].sentence_ids) if outlined else set()
        shown = [a for a in dict.fromkeys(c.article for c in answer.citations) if a in ids]
        parts = []
        for position, article_id in enumerate(shown):
            cited = {
                sentence
                for citation in answer.citations
                if citation.article == article_id
                for sentence in citation.sentence_ids
            }
            first, short = (primary, answer.short_answer) if position == 0 else (set(), None)
            parts.append(
                article_html(
                    current.article(article_id), cited if outlined else set(), first, short
                )
            )
        return "".join(parts)
    if not ids:
        return "<p>No articles yet: add one under “Articles”.</p>"
    return article_html(current.article(chosen if chosen in ids else ids[0]), set(), set())


def catch_up(chosen: str, listed: tuple[str, ...]) -> tuple[Any, ...]:
    """The picker, the shelf and the examples again, if the articles changed since the page
    listed them. The reader's choice is kept while its article is there; if it was removed,
    the page asks about all articles and says so."""
    ids = _listed_ids()
    if ids == tuple(listed or ()):
        return (gr.skip(),) * 6
    if chosen == ALL_ARTICLES or chosen in ids:
        kept = (gr.skip(), gr.skip())  # no note, and the panel keeps what it shows
        return picker_update(chosen), shelf_markdown(), ids, examples_for(chosen), *kept
    shown = articles_shown(None, ALL_ARTICLES)
    return (
        picker_update(ALL_ARTICLES),
        shelf_markdown(),
        ids,
        examples_for(ALL_ARTICLES),
        note_update(CHOICE_REMOVED),
        shown,
    )


def opened(request: gr.Request) -> tuple[Any, ...]:
    """The page as its address opens it: `?article=<id>` is the article asked about, and
    `?q=` a question to ask (`ask_linked` asks it, after the page shows the article)."""
    params = request.query_params if request is not None else {}
    ids = _listed_ids()
    chosen = params.get("article", ALL_ARTICLES)
    note = "" if chosen in ids or chosen == ALL_ARTICLES else LINK_UNKNOWN
    chosen = chosen if chosen in ids else ALL_ARTICLES
    return (
        articles_shown(None, chosen),
        picker_update(chosen),
        shelf_markdown(),
        examples_for(chosen),
        note_update(note),
        ids,
        params.get("q", ""),
    )


def ask_linked(
    message: str, history: list[dict], article: str, request: gr.Request
) -> tuple[Any, Any, Any]:
    """Ask the question the page's address carried, if it carried one."""
    if not message.strip():
        return gr.skip(), gr.skip(), gr.skip()
    return respond(message, history, article, request)


def examples_for(chosen: str) -> Any:
    """The seed's example questions while they fit what is asked about, or none."""
    fits = chosen == SEED_ID or (chosen == ALL_ARTICLES and SEED_ID in _listed_ids())
    samples = [[question] for question in SEED_EXAMPLES] if fits else []
    return gr.Dataset(samples=samples, visible=fits)


def _listed_ids() -> tuple[str, ...]:
    return tuple(summary.id for summary in engine().articles)


def note_update(text: str) -> Any:
    """The line under the picker that says why the choice changed; hidden when empty."""
    return gr.update(value=text, visible=bool(text))


def picker_update(value: str) -> Any:
    choices = [("All articles", ALL_ARTICLES)] + [(e.title, e.id) for e in engine().articles]
    return gr.update(choices=choices, value=value)


def shelf_markdown() -> str:
    entries = engine().articles
    if not entries:
        return "No articles yet."
    noun = "article" if len(entries) == 1 else "articles"
    lines = [f"{len(entries)} {noun}:", ""]
    for entry in entries:
        lines.append(
            f"- **{escape_markdown(entry.title)}** · `{entry.id}` · {entry.sentences} sentences"
        )
    return "\n".join(lines)
