"""The web server: the reader's page at `/`, the editor's at `/edit`, and `/embed.js`.

`python app.py` (or `qa serve`) runs this. Settings are chosen for a 2-core machine and
a public page:
- questions run one per core at once (`Config.concurrency`), and at most
  `Config.queue_size` wait; past that Gradio answers that the queue is full rather
  than queueing without bound;
- per-session state is capped (`SESSIONS_KEPT`), so memory stays flat under API traffic;
- uploads are capped, the index directory is blocked from the file routes, monitoring
  and SSR are off, and analytics are off (set by `go_offline`, before gradio loads);
- the reader's page is all that is served by default, and it cannot change the corpus.
  With editors configured, `/edit` is mounted behind Gradio's sign-in; failed sign-ins
  are bounded per client (`Config.sign_ins_per_minute`). The embeddable widget is the
  reader's page, so an embed is read-only whatever the settings.

Left out: TLS (put a reverse proxy in front, and name it in `QA_TRUSTED_PROXIES`).
"""

from __future__ import annotations

import inspect
import json
import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from qa.config import go_offline

go_offline()  # before gradio is imported: it reads GRADIO_ANALYTICS_ENABLED once

import gradio as gr
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from gradio.route_utils import CustomCORSMiddleware
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from qa.config import Config
from qa.ui import web
from qa.ui.access import Editors, RateLimit, client_of, forwarded_for
from qa.ui.editing import MAX_UPLOAD, build_editor
from qa.ui.runtime import engine, settings

log = logging.getLogger("qa.web")

STATIC = Path(__file__).resolve().parent / "static"
EDIT_PATH = "/edit"
MCP_PATH = "/gradio_api/mcp"
SHUTDOWN_SECONDS = 3
CALL = re.compile(r"^/gradio_api/call/(?:v2/)?(\w+)/?$")
# The most a request may carry, on every route: an editor's largest paste (200,000
# characters of UTF-8, escaped as JSON) or upload (1 MB) fits; a question, its bounded
# conversation and an id are far below it.
MAX_BODY_BYTES = 2 << 20
DRAINED_BYTES = 64 << 20  # past this, a refused body is not read on: the connection closes
# System fonts with a real bold face. The theme's own Source Sans Pro draws some bold
# capitals from a fallback face, so a heading's "A" differed from its neighbours.
FONTS = ("Segoe UI", "Roboto", "Helvetica Neue", "Arial", "Liberation Sans", "DejaVu Sans")
MONO_FONTS = ("Consolas", "Menlo", "Liberation Mono", "DejaVu Sans Mono")
# Gradio keeps a copy of every component's config for each session, and every API call
# is a new session: about 30 KB each, 10,000 kept by default. 500 bounds that at ~15 MB.
SESSIONS_KEPT = 500


class Served:
    """A server running in a thread of this process (for tests and tools): `close()` it."""

    def __init__(self, server: uvicorn.Server, thread: threading.Thread) -> None:
        self._server = server
        self._thread = thread

    def close(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=20)


def serve(reader: gr.Blocks, block: bool = True) -> Served | None:
    """Warm the engine (rebuilding a stale index, with one log line), then serve."""
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    config = settings()
    engine()
    server = uvicorn.Server(
        uvicorn.Config(
            app(reader, config),
            host=config.server_name,
            port=config.server_port,
            log_level="warning",
            ws="none",
            # Which proxies' X-Forwarded-For to believe is `QA_TRUSTED_PROXIES`' to say,
            # not uvicorn's (which believes any from 127.0.0.1): one rule, in `access`.
            proxy_headers=False,
            # Open event streams (a client's queue connection) must not hold a stop forever.
            timeout_graceful_shutdown=SHUTDOWN_SECONDS,
        )
    )
    if block:
        server.run()
        return None
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started and thread.is_alive():
        threading.Event().wait(0.05)
    return Served(server, thread)


def app(reader: gr.Blocks, config: Config) -> FastAPI:
    """The whole site: `/embed.js`, `/edit` when editors are configured, then the reader."""
    site = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    site.add_middleware(NoTracebacks)
    site.add_middleware(FilledCalls, defaults={"ask": arity_of(web.ask)})
    site.add_api_route("/embed.js", _embed_script, methods=["GET"])
    editors = Editors.configured(config.editor_password, config.editors_file)
    common = {
        "blocked_paths": [str(config.index_dir.resolve())],
        "max_file_size": MAX_UPLOAD,
        "enable_monitoring": False,
        "ssr_mode": False,
        "show_error": False,
        "css": (STATIC / "qa.css").read_text(encoding="utf-8"),
        "js": (STATIC / "qa.js").read_text(encoding="utf-8"),
        "footer_links": ["api"],
        "theme": gr.themes.Default(
            font=[*FONTS, "sans-serif"], font_mono=[*MONO_FONTS, "monospace"]
        ),
    }
    if editors is not None:
        site.add_middleware(SameSiteEdits, trusted_proxies=tuple(config.trusted_proxies))
        limit = RateLimit(config.sign_ins_per_minute)
        site.add_middleware(SignInLimit, limit=limit, config=config)  # type: ignore[arg-type]
        editor = build_editor(editors.names)
        editor.state_session_capacity = SESSIONS_KEPT
        gr.mount_gradio_app(
            site,
            editor,
            path=EDIT_PATH,
            auth=editors.check_later,
            auth_message="Editors only: sign in to add or remove articles.",
            **common,  # type: ignore[arg-type]
        )
        log.warning(f"editing is on at {EDIT_PATH} for {len(editors.names)} editor(s)")
    reader.state_session_capacity = SESSIONS_KEPT
    gr.mount_gradio_app(
        site,
        reader,
        path="/",
        mcp_server=config.mcp,
        **common,  # type: ignore[arg-type]
    )
    mcp = reader.mcp_server_obj
    if mcp is not None:
        # Gradio's MCP server calls the app back through a client it creates on the first
        # tool call, at an address read from that call's Host and X-Forwarded-Host unless
        # it has one of its own, which only launch() gives it. A caller must not choose
        # where everyone's later calls go.
        mcp._local_url = _own_address(config)
        # It sends a result as the Python literal of what the function returned; an agent
        # wants JSON it can parse.
        mcp.postprocess_output_data = _as_json(  # type: ignore[assignment]
            mcp.postprocess_output_data, mcp.types
        )
        # Its tool calls reach the app from loopback, which the per-client limit exempts:
        # they are counted where they arrive, against the caller's own allowance.
        site.add_middleware(McpToolCalls, config=config)
    site.add_middleware(BodyLimit)  # added last, so it stands first: every route is bounded
    return site


def _as_json(
    postprocess: Callable[[Any, str], list[Any]], types: Any
) -> Callable[[Any, str], list[Any]]:
    """Gradio's MCP output step, sending a dict or a list as JSON text."""

    def postprocessed(data: Any, root_url: str) -> list[Any]:
        if all(isinstance(output, dict | list) for output in data):
            return [types.TextContent(type="text", text=json.dumps(output)) for output in data]
        return postprocess(data, root_url)

    return postprocessed


class McpToolCalls:
    """Each MCP `tools/call` is counted against its caller's allowance (`web.rate_limit`);
    past it, the call is answered with a JSON-RPC error saying how long to wait."""

    def __init__(self, app: ASGIApp, config: Config) -> None:
        self._app = app
        self._config = config

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or scope["method"] != "POST" or not path.startswith(MCP_PATH):
            await self._app(scope, receive, send)
            return
        body = await _whole_body(receive)
        calls = _tool_calls(body)
        if calls:
            headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]]
            peer = (scope.get("client") or ("", 0))[0]
            client = client_of(peer, forwarded_for(headers), self._config.trusted_proxies)
            wait = max(web.rate_limit().wait_needed(client) for _ in calls)
            if wait > 0:
                error = {
                    "jsonrpc": "2.0",
                    "id": calls[0],
                    "error": {
                        "code": -32000,
                        "message": f"Too many calls; please try again in {max(1, round(wait))} s.",
                    },
                }
                # 200 with a JSON-RPC error: what an MCP client reads as the call's error.
                await JSONResponse(error)(scope, receive, send)
                return
        await self._app(scope, _replaying(body, receive), send)


async def _whole_body(receive: Receive) -> bytes:
    """A request's body, read to its end (bounded: `BodyLimit` stands in front)."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if message["type"] != "http.request" or not message.get("more_body"):
            return b"".join(chunks)


def _replaying(body: bytes, receive: Receive) -> Receive:
    """A `receive` that gives the app `body` whole, then whatever the client sends next
    (its disconnect), for a middleware that had to read the body first."""
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if replayed:
            return await receive()
        replayed = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


def _tool_calls(body: bytes) -> list[object]:
    """The ids of the `tools/call` requests in a JSON-RPC message or batch.

    >>> _tool_calls(b'{"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {}}')
    [3]
    >>> _tool_calls(b'{"method": "tools/list"}'), _tool_calls(b"not json")
    ([], [])
    """
    try:
        payload = json.loads(body)
    except ValueError:
        return []
    requests = payload if isinstance(payload, list) else [payload]
    return [
        r.get("id") for r in requests if isinstance(r, dict) and r.get("method") == "tools/call"
    ]


def _own_address(config: Config) -> str:
    """Where this server answers itself: its own address, loopback when it listens on all.

    >>> _own_address(Config(server_name="0.0.0.0", server_port=7860))
    'http://127.0.0.1:7860/'
    """
    host = "127.0.0.1" if config.server_name in ("0.0.0.0", "::", "") else config.server_name
    return f"http://{host}:{config.server_port}/"


@dataclass(frozen=True)
class Arity:
    """How many arguments an endpoint requires, and the defaults of the ones after them."""

    required: int
    defaults: list[object]


def arity_of(function: Callable[..., object]) -> Arity:
    """An endpoint's arity, Gradio's request left out.

    >>> def ask(question: str, history: list = [], article: str = "", request=None): ...
    >>> arity_of(ask)
    Arity(required=1, defaults=[[], ''])
    """
    signature = inspect.signature(function).parameters.values()
    parameters = [p for p in signature if p.name != "request"]
    defaults = [p.default for p in parameters if p.default is not inspect.Parameter.empty]
    return Arity(len(parameters) - len(defaults), defaults)


class FilledCalls:
    """A raw HTTP call to a named endpoint may leave trailing arguments out, as a
    gradio_client call may: they take the endpoint's defaults. Gradio itself fills none
    for raw calls, and answers `{"error": null}` with a traceback in the log."""

    def __init__(self, app: ASGIApp, defaults: dict[str, Arity]) -> None:
        self._app = app
        self._defaults = defaults

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        match = CALL.match(scope.get("path", "")) if scope["type"] == "http" else None
        if match is None or scope["method"] != "POST" or match[1] not in self._defaults:
            await self._app(scope, receive, send)
            return
        body = _filled(await _whole_body(receive), self._defaults[match[1]])
        headers = [(k, v) for k, v in scope["headers"] if k.lower() != b"content-length"]
        headers.append((b"content-length", str(len(body)).encode()))
        await self._app({**scope, "headers": headers}, _replaying(body, receive), send)


def _filled(body: bytes, arity: Arity) -> bytes:
    """The request body with `data` padded from the endpoint's defaults."""
    try:
        payload = json.loads(body)
    except ValueError:
        return body
    data = payload.get("data") if isinstance(payload, dict) else None
    full = arity.required + len(arity.defaults)
    if not isinstance(data, list) or not arity.required <= len(data) < full:
        return body
    payload["data"] = data + arity.defaults[len(data) - arity.required :]
    return json.dumps(payload).encode()


class BodyLimit:
    """Every request body is bounded (`MAX_BODY_BYTES`), on every route: one that declares
    more, or sends more, gets 413 before anything reads it whole."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self._app = app
        self._limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self._app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        if not declared.isdigit() or int(declared) > self._limit:
            await self._refuse(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break  # the client went away
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > self._limit:
                await self._refuse(scope, receive, send)
                return
            if not message.get("more_body"):
                break
        await self._app(scope, _replaying(b"".join(chunks), receive), send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        # The rest of the body is read and dropped (up to a bound), so that the client,
        # still sending, reads the answer instead of a reset connection.
        drained = 0
        while drained < DRAINED_BYTES:
            message = await receive()
            drained += len(message.get("body", b""))
            if message["type"] != "http.request" or not message.get("more_body"):
                break
        megabytes = self._limit / (1 << 20)
        detail = f"The request is too large; the limit is {megabytes:g} MB."
        await JSONResponse({"detail": detail}, status_code=413)(scope, receive, send)


class SameSiteEdits:
    """The editor's page takes changes from its own pages only. Gradio's sign-in cookie is
    `SameSite=None`, so a page elsewhere could post to `/edit` with a signed-in editor's
    cookie; a browser names the page's origin on every such post (`Origin`, and
    `Sec-Fetch-Site`), and one that is not this site's is refused with 403. Requests that
    name no origin (scripts, not browsers) carry no one's cookie unless given it."""

    def __init__(self, app: ASGIApp, trusted_proxies: tuple[str, ...] = ()) -> None:
        self._app = app
        self._trusted = trusted_proxies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] not in ("GET", "HEAD", "OPTIONS")
            and scope.get("path", "").startswith(f"{EDIT_PATH}/")
            and self._cross_site(scope)
        ):
            detail = "Articles can only be changed from the editor's own page."
            await JSONResponse({"detail": detail}, status_code=403)(scope, receive, send)
            return
        await self._app(scope, receive, send)

    def _cross_site(self, scope: Scope) -> bool:
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if headers.get("sec-fetch-site") == "cross-site":
            return True
        origin = headers.get("origin")
        if not origin:
            return False
        host = headers.get("host", "")
        peer = (scope.get("client") or ("", 0))[0]
        if peer in self._trusted and headers.get("x-forwarded-host"):
            host = headers["x-forwarded-host"].split(",")[0].strip()
        return origin == "null" or urlsplit(origin).netloc.lower() != host.lower()


class NoTracebacks:
    """A request that makes Gradio's routes fail (a crafted `fn_index` past the last
    handler, say) gets a plain error and one log line, not a traceback and a reset."""

    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        sent = {"start": False, "end": False}

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                sent["start"] = True
            elif message["type"] == "http.response.body" and not message.get("more_body"):
                sent["end"] = True
            await send(message)

        try:
            await self._app(scope, receive, sending)
        except Exception as error:
            if scope["type"] != "http" or (sent["start"] and not sent["end"]):
                raise
            log.warning(f"refused a malformed request to {scope.get('path')}: {error!r}"[:300])
            if not sent["start"]:
                response = JSONResponse({"detail": "Malformed request."}, status_code=400)
                await response(scope, receive, send)


class SignInLimit(BaseHTTPMiddleware):
    """Bound failed sign-ins per client: past the bound, `/edit/login` answers 429."""

    def __init__(self, app: FastAPI, limit: RateLimit, config: Config) -> None:
        super().__init__(app)
        self._limit = limit
        self._config = config

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        if request.method != "POST" or request.url.path.rstrip("/") != f"{EDIT_PATH}/login":
            return await call_next(request)
        peer = request.client.host if request.client else None
        forwarded = forwarded_for(request.headers.items())
        client = client_of(peer, forwarded, self._config.trusted_proxies)
        # The token is taken before the check, so that guesses sent at once cannot all pass.
        wait = self._limit.wait_needed(client)
        if wait > 0:
            return JSONResponse(
                {"detail": f"Too many failed sign-ins; try again in {max(1, round(wait))} s."},
                status_code=429,
            )
        response = await call_next(request)
        if response.status_code < 400:
            self._limit.refund(client)  # only failures spend the client's allowance
        return response


# Gradio's own rule for which pages may load its routes: any origin for a public host,
# only local ones for a local server. The loader is fetched as a module, so it needs it.
_CORS = CustomCORSMiddleware(app=None)  # type: ignore[arg-type]  # used for its rule only


def _embed_script(request: Request) -> Response:
    """A stable URL for the web component's loader; Gradio's own bundle name changes."""
    loader = Path(gr.__file__).parent / "templates" / "frontend" / "gradio.js"
    response = Response(loader.read_text(encoding="utf-8"), media_type="text/javascript")
    origin = request.headers.get("origin")
    if origin and _CORS.is_valid_origin(request.headers):
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Vary"] = "Origin"
    return response
