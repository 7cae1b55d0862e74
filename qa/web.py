"""The web layer: the Gradio chat, the `/ask` API, `/embed.js`, and server settings.

This is the only module that imports gradio. Building the Blocks is cheap; the engine
(and its model) loads once, on first use or when `serve` warms it before serving.

Server settings are chosen for a 2-core machine and a public page:
- two questions run at once (one per core), and at most `QUEUE_SIZE` (or `QA_QUEUE_SIZE`)
  wait; past that Gradio answers that the queue is full rather than queueing without bound;
- per-session state is capped (`SESSIONS_KEPT`), so memory stays flat under API traffic;
- uploads are capped, the index directory is blocked from the file routes, monitoring
  and SSR are off, and analytics are off (set in `qa/__init__.py`, before gradio loads);
- a user's mistake gets a friendly message; anything else is logged here and the user
  sees a generic one, never a traceback.

Left out: authentication and rate limiting per client.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Any

import gradio as gr
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from qa.engine import Engine, Settings
from qa.question import InvalidQuestion
from qa.records import Answer
from qa.render import article_html, escape_markdown, reply_markdown, sources_markdown

log = logging.getLogger("qa.web")

CONCURRENCY = 2
QUEUE_SIZE = 64
MAX_UPLOAD = "1mb"
# Gradio keeps a copy of every component's config for each session, and every API call
# is a new session: about 30 KB each, 10,000 kept by default. 500 bounds that at ~15 MB.
SESSIONS_KEPT = 500
SHOWN_QUESTION = 600  # characters of a question echoed into the chat
INTERNAL_ERROR = "Sorry, something went wrong on our side. Please try again."
EXAMPLES = [
    "What did NATO say about ground forces?",
    "What did Zelenskyy ask the US Congress for?",
    "What alternative did he offer?",
    "How many missiles has Russia fired at Ukraine?",
]
CSS = """
.qa-article { line-height: 1.6; max-height: 70vh; overflow-y: auto; padding-right: .5rem; }
.qa-article p { margin: 0 0 .9em 0; }
.qa-sentence { border-radius: 3px; transition: background-color .4s; }
.qa-cited { background: #fef3c7; color: #1f2937; }
.qa-primary { background: #fcd34d; color: #111827; box-shadow: 0 0 0 2px #f59e0b; }
.qa-flash { background: #f59e0b; color: #111827; }
"""
# Clicking a citation link scrolls its sentence into view instead of following the link.
# Listening on the document (capture phase) works in the app page and in the widget.
JS = """
() => {
  document.addEventListener("click", (event) => {
    const path = event.composedPath ? event.composedPath() : [event.target];
    const link = path.find(
      (el) => el.tagName === "A" && (el.getAttribute("href") || "").startsWith("#qa-s"));
    if (!link) return;
    event.preventDefault();
    event.stopPropagation();
    const id = link.getAttribute("href").slice(1);
    const root = link.getRootNode();
    const target = (root.getElementById && root.getElementById(id)) || document.getElementById(id);
    if (!target) return;
    target.scrollIntoView({ behavior: "smooth", block: "center" });
    target.classList.add("qa-flash");
    setTimeout(() => target.classList.remove("qa-flash"), 1500);
  }, true);
}
"""


_opened: list[Engine] = []
_opening = threading.Lock()


def engine() -> Engine:
    """The one engine of this process, opened (and its index refreshed) on first use.

    The lock makes concurrent first requests wait for one open instead of each loading
    the model and writing the index.
    """
    if not _opened:
        with _opening:
            if not _opened:
                _opened.append(Engine.open(Settings.from_env())[0])
    return _opened[0]


def ask(question: str, history: list[dict] = []) -> dict[str, Any]:  # noqa: B006 (never mutated)
    """Answer a question about the article with exact, attributed quotes.

    `history` is the conversation so far as `{"role", "content"}` messages, used to read
    follow-ups ("What alternative did he offer?"). Returns the answer contract:
    `answer`, `found`, `rewritten_question` and `citations` (id, article, quote, start,
    end, speaker, score), where `article_text[start:end] == quote`.
    """
    return _answer(question, history).to_dict()


def ping() -> str:
    """A health check that never touches the engine: answers "ok" while the server serves."""
    return "ok"


def respond(message: str, history: list[dict]) -> tuple[list[dict], str, str]:
    """The chat: append the question and the grounded reply; highlight what it cites."""
    history = list(history or [])
    try:
        answer = _answer(message, history)
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
    if not answer.found:
        return history, _article(set(), set()), ""
    cited = set().union(*(citation.sentence_ids() for citation in answer.citations))
    return history, _article(cited, answer.citations[0].sentence_ids()), ""


def build() -> gr.Blocks:
    with gr.Blocks(title="Ask the article", fill_width=True) as demo:
        gr.Markdown("## Ask the article\nEvery answer quotes the article word for word.")
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=320):
                chatbot = gr.Chatbot(
                    label="Answers",
                    elem_id="qa-chat",
                    height=520,
                    buttons=["copy", "copy_all"],
                    feedback_options=None,
                    placeholder="Ask about the article; answers come with exact quotes.",
                )
                question = gr.Textbox(
                    elem_id="qa-question",
                    show_label=False,
                    placeholder="Ask a question about the article and press Enter",
                    max_lines=4,
                    submit_btn=True,
                )
                gr.Examples(EXAMPLES, inputs=question, label="Try")
            with gr.Column(scale=2, min_width=320):
                gr.Markdown(
                    "### The article\nThe answer is outlined; the other sources are shaded."
                )
                article = gr.HTML(elem_id="qa-article")
        question.submit(
            respond, [question, chatbot], [chatbot, article, question], api_visibility="private"
        )
        demo.load(lambda: _article(set(), set()), None, article, api_visibility="private")
        gr.api(ask, api_name="ask")
        gr.api(ping, api_name="ping")
    queue_size = int(os.environ.get("QA_QUEUE_SIZE", QUEUE_SIZE))
    demo.queue(default_concurrency_limit=CONCURRENCY, max_size=queue_size)
    return demo


def serve(demo: gr.Blocks, block: bool = True) -> None:
    """Warm the engine (rebuilding a stale index, with one log line), then serve."""
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    settings = Settings.from_env()
    engine()
    demo.launch(
        server_name=os.environ.get("GRADIO_SERVER_NAME", "127.0.0.1"),
        server_port=int(os.environ.get("GRADIO_SERVER_PORT", "7860")),
        max_file_size=MAX_UPLOAD,
        blocked_paths=[str(settings.index_dir.resolve())],
        enable_monitoring=False,
        ssr_mode=False,
        show_error=False,
        css=CSS,
        js=JS,
        app_kwargs={"routes": [Route("/embed.js", _embed_script)]},
        prevent_thread_lock=not block,
        state_session_capacity=SESSIONS_KEPT,
    )


def _answer(question: str, history: list[dict] | None) -> Answer:
    try:
        return engine().ask(question, history)
    except InvalidQuestion as error:
        raise gr.Error(str(error), print_exception=False) from None
    except Exception:
        log.exception("answering failed")
        raise gr.Error(INTERNAL_ERROR, print_exception=False) from None


def _user(message: str) -> dict:
    """The question as the chat shows it: literal text, and no 1 MB paste kept in state."""
    shown = message if len(message) <= SHOWN_QUESTION else message[:SHOWN_QUESTION] + " …"
    return {"role": "user", "content": escape_markdown(shown)}


def _article(cited: set[str], primary: set[str]) -> str:
    current = engine()
    return article_html(current.article, current.sentences, cited, primary)


def _embed_script(request: Request) -> Response:
    """A stable URL for the web component's loader; Gradio's own bundle name changes."""
    loader = Path(gr.__file__).parent / "templates" / "frontend" / "gradio.js"
    return Response(loader.read_text(encoding="utf-8"), media_type="text/javascript")
