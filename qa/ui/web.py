"""The web layer: the Gradio chat, the article shelf, the `/ask` API, `/embed.js`, settings.

This is the only module that imports gradio. Building the Blocks is cheap; the engine
(and its model) loads once, on first use or when `serve` warms it before serving.

Server settings are chosen for a 2-core machine and a public page:
- questions run one per core at once (`Config.concurrency`), and at most
  `Config.queue_size` wait; past that Gradio answers that the queue is full rather
  than queueing without bound;
- per-session state is capped (`SESSIONS_KEPT`), so memory stays flat under API traffic;
- uploads are capped, the index directory is blocked from the file routes, monitoring
  and SSR are off, and analytics are off (set by `go_offline`, before gradio loads);
- a user's mistake gets a friendly message; anything else is logged here and the user
  sees a generic one, never a traceback;
- an article added in the browser (uploaded or pasted) is held to the same limits as
  `qa add` (`MAX_ARTICLE_CHARS`), and adding or removing one is a UI action only:
  the public API reads.

Left out: authentication and rate limiting per client.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from qa.config import Config, go_offline

go_offline()  # before gradio is imported: it reads GRADIO_ANALYTICS_ENABLED once

import gradio as gr  # noqa: E402
from starlette.requests import Request  # noqa: E402
from starlette.responses import Response  # noqa: E402
from starlette.routing import Route  # noqa: E402

from qa.engine import MAX_ARTICLE_CHARS, Engine  # noqa: E402
from qa.errors import UnknownArticle, UserError  # noqa: E402
from qa.records import Answer  # noqa: E402
from qa.ui.history import turns_from_messages  # noqa: E402
from qa.ui.render import (  # noqa: E402
    article_html,
    escape_markdown,
    reply_markdown,
    sources_markdown,
)

log = logging.getLogger("qa.web")

MAX_UPLOAD = "1mb"
# Gradio keeps a copy of every component's config for each session, and every API call
# is a new session: about 30 KB each, 10,000 kept by default. 500 bounds that at ~15 MB.
SESSIONS_KEPT = 500
SHOWN_QUESTION = 600  # characters of a question echoed into the chat
ALL_ARTICLES = ""  # the picker's value for "ask about every article"
INTERNAL_ERROR = "Sorry, something went wrong on our side. Please try again."
EXAMPLES = [
    "What did NATO say about ground forces?",
    "What did Zelenskyy ask the US Congress for?",
    "What alternative did he offer?",
    "How many missiles has Russia fired at Ukraine?",
]
STATIC = Path(__file__).resolve().parent / "static"


_config: list[Config] = []  # set once, by `configure` or from the environment
_opened: list[Engine] = []
_opening = threading.Lock()


def configure(config: Config) -> None:
    """Serve with `config` rather than the environment's settings; call before serving."""
    _config[:] = [config]


def settings() -> Config:
    if not _config:
        _config.append(Config.from_env())
    return _config[0]


def engine() -> Engine:
    """The one engine of this process, opened (and its index refreshed) on first use.

    The lock makes concurrent first requests wait for one open instead of each loading
    the model and writing the index.
    """
    if not _opened:
        with _opening:
            if not _opened:
                _opened.append(Engine.open(settings())[0])
    return _opened[0]


def ask(question: str, history: list[dict] = [], article: str = ALL_ARTICLES) -> dict[str, Any]:  # noqa: B006 (never mutated)
    """Answer a question about the articles with exact, attributed quotes.

    `history` is the conversation so far as `{"role", "content"}` messages, used to read
    follow-ups ("What alternative did he offer?"). `article` is an article id (see
    `/articles`) to answer from that article only; empty means all articles. Returns the
    answer contract: `answer`, `found`, `rewritten_question` and `citations` (id,
    article, article_title, quote, start, end, speaker, score), where the article's
    text `[start:end] == quote`.
    """
    return _answer(question, history, article).to_dict()


def articles() -> list[dict[str, Any]]:
    """The articles that can be asked about: id, title, source and sentence count."""
    return [summary.to_dict() for summary in engine().articles]


def ping() -> str:
    """A health check that never touches the engine: answers "ok" while the server serves."""
    return "ok"


def respond(message: str, history: list[dict], article: str) -> tuple[list[dict], str, str]:
    """The chat: append the question and the grounded reply; highlight what it cites."""
    history = list(history or [])
    try:
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
    return history, _articles_shown(answer, article), ""


def add_article(upload: str | None, pasted: str, title: str) -> tuple[Any, ...]:
    """Add the uploaded file, or else the pasted text; say what happened in one line.

    Outputs: status, picker, shelf, and the upload, paste and title boxes, which are
    cleared on success and left as they were on a refusal, so nothing typed is lost.
    """
    kept = (gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip())
    try:
        if upload:
            change = engine().add_file(Path(upload))
        elif pasted.strip():
            change = engine().add_text(pasted, title=title.strip() or None)
        else:
            return ("Choose a file or paste an article first.", *kept)
    except UserError as error:
        return (f"⚠️ {escape_markdown(str(error))}.", *kept)
    except Exception:
        log.exception("adding an article failed")
        return (f"⚠️ {INTERNAL_ERROR}", *kept)
    entry = change.article
    said = {
        "added": f"Added “{entry.title}” ({entry.sentences} sentences).",
        "replaced": f"Updated “{entry.title}” ({entry.sentences} sentences).",
        "unchanged": f"“{entry.title}” is already here, unchanged.",
    }[change.action]
    return escape_markdown(said), _picker(entry.id), _shelf(), None, "", ""


def remove_article(article: str) -> tuple[str, Any, str, str]:
    """Remove the article chosen in the picker."""
    if article == ALL_ARTICLES:
        return "Pick the article to remove first.", gr.skip(), gr.skip(), gr.skip()
    try:
        change = engine().remove([article])[0]
    except UnknownArticle:
        return "That article is already gone.", _picker(ALL_ARTICLES), _shelf(), ""
    except Exception:
        log.exception("removing an article failed")
        return f"⚠️ {INTERNAL_ERROR}", gr.skip(), gr.skip(), gr.skip()
    said = escape_markdown(f"Removed “{change.article.title}”.")
    return said, _picker(ALL_ARTICLES), _shelf(), _articles_shown(None, ALL_ARTICLES)


def build() -> gr.Blocks:
    with gr.Blocks(title="Ask the articles", fill_width=True) as demo:
        gr.Markdown("## Ask the articles\nEvery answer quotes an article word for word.")
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=320):
                picker = gr.Dropdown(
                    label="Ask about", elem_id="qa-picker", choices=[("All articles", "")]
                )
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
                gr.Examples(EXAMPLES, inputs=question, label="Try")
                with gr.Accordion("Articles: add, list, remove", open=False, elem_id="qa-shelf"):
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
                    with gr.Row():
                        add = gr.Button("Add article", variant="primary", elem_id="qa-add")
                        remove = gr.Button("Remove the article picked above", elem_id="qa-remove")
                    status = gr.Markdown(elem_id="qa-status")
            with gr.Column(scale=2, min_width=320):
                gr.Markdown(
                    "### The article\nThe answer is outlined; the other sources are shaded."
                )
                article = gr.HTML(elem_id="qa-article")
        question.submit(
            respond,
            [question, chatbot, picker],
            [chatbot, article, question],
            api_visibility="private",
        )
        picker.change(
            lambda chosen: _articles_shown(None, chosen), picker, article, api_visibility="private"
        )
        add.click(
            add_article,
            [upload, pasted, title],
            [status, picker, shelf, upload, pasted, title],
            api_visibility="private",
        )
        remove.click(
            remove_article, picker, [status, picker, shelf, article], api_visibility="private"
        )
        demo.load(
            lambda: (_articles_shown(None, ALL_ARTICLES), _picker(ALL_ARTICLES), _shelf()),
            None,
            [article, picker, shelf],
            api_visibility="private",
        )
        gr.api(ask, api_name="ask")
        gr.api(articles, api_name="articles")
        gr.api(ping, api_name="ping")
    config = settings()
    demo.queue(default_concurrency_limit=config.concurrency, max_size=config.queue_size)
    return demo


def serve(demo: gr.Blocks, block: bool = True) -> None:
    """Warm the engine (rebuilding a stale index, with one log line), then serve."""
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    config = settings()
    engine()
    demo.launch(
        server_name=config.server_name,
        server_port=config.server_port,
        max_file_size=MAX_UPLOAD,
        blocked_paths=[str(config.index_dir.resolve())],
        enable_monitoring=False,
        ssr_mode=False,
        show_error=False,
        css=(STATIC / "qa.css").read_text(encoding="utf-8"),
        js=(STATIC / "qa.js").read_text(encoding="utf-8"),
        app_kwargs={"routes": [Route("/embed.js", _embed_script)]},
        prevent_thread_lock=not block,
        state_session_capacity=SESSIONS_KEPT,
    )


def _answer(question: str, history: list[dict] | None, article: str = ALL_ARTICLES) -> Answer:
    try:
        turns = turns_from_messages(history)
        return engine().ask(question, turns, article=article or None)
    except UserError as error:
        raise gr.Error(str(error), print_exception=False) from None
    except Exception:
        log.exception("answering failed")
        raise gr.Error(INTERNAL_ERROR, print_exception=False) from None


def _user(message: str) -> dict:
    """The question as the chat shows it: literal text, and no 1 MB paste kept in state."""
    shown = message if len(message) <= SHOWN_QUESTION else message[:SHOWN_QUESTION] + " …"
    return {"role": "user", "content": escape_markdown(shown)}


def _articles_shown(answer: Answer | None, chosen: str) -> str:
    """The cited articles, the answering one first; with no citation, the chosen article."""
    current = engine()
    ids = [entry.id for entry in current.articles]  # one may be removed as this runs
    if answer is not None and answer.citations:
        primary = set(answer.citations[0].sentence_ids) if answer.found else set()
        shown = [a for a in dict.fromkeys(c.article for c in answer.citations) if a in ids]
        parts = []
        for position, article_id in enumerate(shown):
            cited = {
                sentence
                for citation in answer.citations
                if citation.article == article_id
                for sentence in citation.sentence_ids
            }
            first = primary if position == 0 else set()
            parts.append(
                article_html(current.article(article_id), cited if answer.found else set(), first)
            )
        return "".join(parts)
    if not ids:
        return "<p>No articles yet: add one under “Articles”.</p>"
    return article_html(current.article(chosen if chosen in ids else ids[0]), set(), set())


def _picker(value: str) -> Any:
    choices = [("All articles", ALL_ARTICLES)] + [(e.title, e.id) for e in engine().articles]
    return gr.update(choices=choices, value=value)


def _shelf() -> str:
    entries = engine().articles
    if not entries:
        return "No articles yet."
    lines = [f"{len(entries)} articles:", ""]
    for entry in entries:
        lines.append(
            f"- **{escape_markdown(entry.title)}** · `{entry.id}` · {entry.sentences} sentences"
        )
    return "\n".join(lines)


def _embed_script(request: Request) -> Response:
    """A stable URL for the web component's loader; Gradio's own bundle name changes."""
    loader = Path(gr.__file__).parent / "templates" / "frontend" / "gradio.js"
    return Response(loader.read_text(encoding="utf-8"), media_type="text/javascript")
