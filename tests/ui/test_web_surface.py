"""The web surface of a live server: file routes, uploads, CORS, and no outbound traffic."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT, free_port

pytestmark = pytest.mark.slow


def fetch(url: str, method: str = "GET", data: bytes | None = None, headers: dict | None = None):
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


def secret_paths(server_index: Path) -> list[str]:
    manifest = server_index / "manifest.json"
    return ["/etc/passwd", str(manifest), str(ROOT / "pyproject.toml"), str(ROOT / "app.py")]


def test_file_routes_never_serve_secrets(server: str, server_index: Path) -> None:
    base = server.rstrip("/")
    tried = 0
    for path in secret_paths(server_index):
        encoded = path.replace("/", "%2F")
        relative = "../../../../../../.." + path
        for prefix in ("/gradio_api/file=", "/file=", "/GRADIO_API/FILE=", "/gradio_api/File="):
            for form in (path, encoded, relative, relative.replace("/", "%2F"), path.upper()):
                status, body, _ = fetch(base + prefix + form)
                tried += 1
                assert b"root:x:" not in body and b"format_version" not in body, (prefix, form)
                assert b"[project]" not in body and b"from qa.ui.web" not in body, (prefix, form)
                assert status != 200 or body.lstrip().startswith(b"<!doctype html"), (prefix, form)
    assert tried == 4 * 4 * 5


def test_uploads_over_the_cap_are_refused(server: str) -> None:
    boundary = "qaboundary"
    payload = b"x" * (2 * 1024 * 1024)
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="big.txt"\r\n'
            f"Content-Type: text/plain\r\n\r\n"
        ).encode()
        + payload
        + f"\r\n--{boundary}--\r\n".encode()
    )
    status, response, _ = fetch(
        server + "gradio_api/upload",
        "POST",
        body,
        {"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert status in (400, 413), (status, response[:200])


@pytest.mark.parametrize(
    "route", ["gradio_api/queue/join", "gradio_api/call/ask", "gradio_api/run/predict", "nowhere"]
)
def test_a_body_over_the_cap_is_refused_on_every_route_and_the_server_stays_up(
    server: str, route: str
) -> None:
    five_megabytes = json.dumps({"data": ["x" * (5 << 20)], "fn_index": 0}).encode()
    status, response, _ = fetch(
        server + route, "POST", five_megabytes, {"Content-Type": "application/json"}
    )
    assert status == 413 and b"too large" in response, (status, response[:200])
    assert fetch(server + "gradio_api/info")[0] == 200


def test_cors_allows_local_embedding_and_nothing_foreign(server: str) -> None:
    _, _, local = fetch(server + "config", headers={"Origin": "http://127.0.0.1:9999"})
    assert local.get("access-control-allow-origin") == "http://127.0.0.1:9999"
    _, _, foreign = fetch(server + "config", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in {k.lower() for k in foreign}


AUDIT = r"""
import json, socket, sys, urllib.request
outbound, loopback = [], []
def watch(event, args):
    if event == "socket.connect":
        address = args[1]
        host = address[0] if isinstance(address, tuple) else str(address)
        local = str(host).startswith("127.") or host in ("::1", "localhost")
        (loopback if local else outbound).append(str(address))
    elif event == "socket.getaddrinfo" and args[0] not in ("127.0.0.1", "localhost", "::1", None):
        outbound.append(f"lookup {args[0]}")
sys.addaudithook(watch)
import os
from qa.ui.server import serve
from qa.ui.web import build
served = serve(build(), block=False)
port = int(os.environ["GRADIO_SERVER_PORT"])
request = urllib.request.Request(f"http://127.0.0.1:{port}/gradio_api/call/ask",
    data=json.dumps({"data": ["What did NATO say about ground forces?", [], ""]}).encode(),
    headers={"Content-Type": "application/json"}, method="POST")
event = json.loads(urllib.request.urlopen(request, timeout=60).read())["event_id"]
result_url = f"http://127.0.0.1:{port}/gradio_api/call/ask/{event}"
result = urllib.request.urlopen(result_url, timeout=60).read()
assert b"Stoltenberg" in result, result
served.close()
print(json.dumps({"outbound": outbound, "loopback": len(loopback)}))
"""


def test_start_up_and_a_question_make_no_outbound_connection(tmp_path: Path) -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "QA_INDEX_DIR": str(tmp_path / "index"),
        "GRADIO_SERVER_PORT": str(free_port()),
    }
    run = subprocess.run(
        [sys.executable, "-c", AUDIT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    assert seen["loopback"] > 0, "the audit hook saw the test's own requests"
    assert seen["outbound"] == []
