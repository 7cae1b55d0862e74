"""Talking to a running app on localhost: a free port, waiting for it, raw API calls, and
how much memory a process holds.

Shared by the benchmark and the tests, which both start `python app.py` and call it.
"""

from __future__ import annotations

import http.client
import json
import socket
import subprocess
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def memory_bytes(pid: int, field: str = "VmRSS") -> int:
    """A memory figure of a running process from `/proc` (Linux): `VmRSS` resident now,
    `VmHWM` its peak."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) * 1024
    raise ValueError(f"/proc/{pid}/status has no {field}")


def wait_for(url: str, process: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer within {seconds} s")


def raw_call(
    port: int, endpoint: str, data: list, connection: http.client.HTTPConnection | None = None
) -> str:
    """POST /gradio_api/call/<endpoint>, then read its event stream to the end.

    The JSON is ASCII-escaped, so text that UTF-8 cannot carry (a lone surrogate) still goes.
    """
    link = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    body = json.dumps({"data": data})
    link.request("POST", f"/gradio_api/call/{endpoint}", body, {"Content-Type": "application/json"})
    response = link.getresponse()
    if response.status != 200:
        raise OSError(f"status {response.status}: {response.read()[:200]!r}")
    event = json.loads(response.read())["event_id"]
    link.request("GET", f"/gradio_api/call/{endpoint}/{event}")
    return link.getresponse().read().decode()
