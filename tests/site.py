"""A web site on loopback for the tests that fetch: real pages, and pages that misbehave.

Each path is a `Route`: a status, headers and a body, sent whole, or a byte at a time
(`trickle`), or with no length and no end (`endless`). The site records every request
(its path and headers) and how many body bytes each route got out before the client
stopped reading, so a test can tell that a fetch stopped early without timing it.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"


@dataclass
class Route:
    status: int = 200
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/html"})
    body: bytes = b""
    trickle: float = 0.0  # seconds between bytes; 0 sends the body at once
    endless: bool = False  # repeat the body until the client hangs up
    sent: int = 0  # body bytes written before the client stopped reading


def page(name: str, replace: dict[str, str] | None = None) -> Route:
    """A fixture page as its site serves it; `replace` rewrites its addresses."""
    body = (PAGES / name).read_text(encoding="utf-8")
    for old, new in (replace or {}).items():
        body = body.replace(old, new)
    return Route(headers={"Content-Type": "text/html; charset=utf-8"}, body=body.encode())


def redirect(location: str, status: int = 302) -> Route:
    return Route(status=status, headers={"Location": location})


class Site:
    """Serves `routes` on `host` (127.0.0.1 or ::1) at a free port, in threads."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        site = self

        class Server(ThreadingHTTPServer):
            address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
            daemon_threads = True

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.requests.append((self.path, dict(self.headers.items())))
                route = site.routes.get(self.path.split("?", 1)[0]) or Route(status=404)
                # The client may stop reading, as a fetch that gives up does.
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self._send(route)

            def _send(self, route: Route) -> None:
                self.send_response(route.status)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                whole = not (route.trickle or route.endless)
                if whole and "Content-Length" not in route.headers:
                    self.send_header("Content-Length", str(len(route.body)))
                self.send_header("Connection", "close")
                self.end_headers()
                if whole:
                    self.wfile.write(route.body)
                    route.sent += len(route.body)
                    return
                while True:
                    for start in range(0, len(route.body), 1 if route.trickle else 65536):
                        piece = route.body[start : start + (1 if route.trickle else 65536)]
                        self.wfile.write(piece)
                        self.wfile.flush()
                        route.sent += len(piece)
                        time.sleep(route.trickle)
                    if not route.endless:
                        return

            def log_message(self, *args: object) -> None:
                pass

        self._server = Server((host, 0), Handler)
        self.host, self.port = host, self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )
        self._thread.start()

    def url(self, path: str) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}{path}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
