"""The MCP tools through the official `mcp` client against a real `python app.py`."""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import httpx
import pytest
from gradio_client import Client
from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.exceptions import McpError

from tests.conftest import PAGES, SEED_ID, SEED_TEXT, running_app

pytestmark = pytest.mark.slow


async def _session_calls(
    url: str, calls: list[tuple[str, dict[str, Any]]], headers: dict[str, str] | None = None
) -> tuple[Any, list]:
    async with (
        httpx.AsyncClient(headers=headers, timeout=30) as http,
        streamable_http_client(url, http_client=http) as (read, write, _),
        ClientSession(read, write) as session,
    ):
        await session.initialize()
        tools = await session.list_tools()
        results = [await session.call_tool(name, arguments) for name, arguments in calls]
    return tools, results


def _payload(result: Any) -> Any:
    """A tool's result, as JSON an agent parses."""
    assert not result.isError, result.content
    return json.loads(result.content[0].text)


def _tool(tools: Any, name: str) -> Any:
    (tool,) = [tool for tool in tools.tools if tool.name == name]
    return tool


def test_an_agent_lists_the_tools_and_gets_verbatim_attributed_quotes(server: str) -> None:
    url = f"{server}gradio_api/mcp/"
    tools, _ = asyncio.run(_session_calls(url, []))
    ask, articles, article = (_tool(tools, name) for name in ("ask", "articles", "article"))
    assert "exact" in (ask.description or "") and "citations" in (ask.description or "")
    properties = ask.inputSchema["properties"]
    assert set(properties) == {"question", "history", "article"}
    assert all(properties[name]["description"] for name in properties), properties
    question = {"question": "What did NATO say about ground forces?", "history": [], "article": ""}
    _, (answered, listed, shown) = asyncio.run(
        _session_calls(
            url,
            [
                (ask.name, question),
                (articles.name, {}),
                (article.name, {"article_id": SEED_ID}),
            ],
        )
    )
    answer = _payload(answered)
    assert answer["found"] is True
    same = Client(server, verbose=False).predict(question["question"], [], "", api_name="/ask")
    assert answer == same, "the same contract as /ask (whose keys test_api checks)"
    assert "500 characters" in (ask.description or "") + str(properties["question"])
    assert "short_answer" in (ask.description or "")
    first = answer["citations"][0]
    assert first["speaker"] == "Jens Stoltenberg"
    for citation in answer["citations"]:
        assert SEED_TEXT[citation["start"] : citation["end"]] == citation["quote"]
    assert SEED_ID in {entry["id"] for entry in _payload(listed)}
    assert _payload(shown)["text"] == SEED_TEXT


def test_a_caller_cannot_choose_where_later_tool_calls_go(tmp_path: Path) -> None:
    # Another app, about a storm, stands in for a caller's own server. Were the tool calls'
    # loopback address read from the first caller's headers, every later caller's
    # question would go there, and NATO would not be found.
    question = {"question": "What did NATO say about ground forces?"}
    (tmp_path / "ours").mkdir()
    (tmp_path / "theirs").mkdir()
    with (
        running_app(tmp_path / "ours", QA_MCP="1") as (ours, _),
        running_app(tmp_path / "theirs", QA_MCP="1", QA_ARTICLE=str(PAGES / "storm.html")) as (
            theirs,
            _,
        ),
    ):
        elsewhere = {"X-Forwarded-Host": theirs.split("//")[1].rstrip("/")}
        url = f"{ours}gradio_api/mcp/"
        _, (first,) = asyncio.run(_session_calls(url, [("ask", question)], elsewhere))
        _, (later,) = asyncio.run(_session_calls(url, [("ask", question)]))
    assert _payload(first)["found"] is True and _payload(later)["found"] is True


def test_mcp_is_off_unless_asked_for(tmp_path: Path) -> None:
    with running_app(tmp_path) as (url, _):
        request = urllib.request.Request(f"{url}gradio_api/mcp/", data=b"{}", method="POST")
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        assert refused.value.code == 404


def test_tool_calls_are_bounded_per_caller(tmp_path: Path) -> None:
    """MCP calls reach the app from loopback, which the per-client limit exempts: they are
    counted where they arrive, against the caller's own allowance."""
    question = {"question": "What did NATO say about ground forces?"}
    settings = {"QA_MCP": "1", "QA_ASKS_PER_MINUTE": "2", "QA_TRUSTED_PROXIES": "127.0.0.1"}
    with running_app(tmp_path, **settings) as (url, _):
        caller = {"X-Forwarded-For": "203.0.113.9"}
        with pytest.raises(BaseExceptionGroup) as refused:
            asyncio.run(_session_calls(f"{url}gradio_api/mcp/", [("ask", question)] * 3, caller))
        assert refused.group_contains(McpError, match="Too many calls", depth=None)
        other = {"X-Forwarded-For": "203.0.113.10"}
        _, (answered,) = asyncio.run(
            _session_calls(f"{url}gradio_api/mcp/", [("ask", question)], other)
        )
        assert _payload(answered)["found"] is True
