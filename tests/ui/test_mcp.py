"""The MCP tools through the official `mcp` client against a real `python app.py`."""

from __future__ import annotations

import ast
import asyncio
from typing import Any

import pytest
from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client

from tests.conftest import SEED_ID, SEED_TEXT, running_app

pytestmark = pytest.mark.slow


async def _session_calls(url: str, calls: list[tuple[str, dict[str, Any]]]) -> tuple[Any, list]:
    async with (
        streamable_http_client(url) as (read, write, _),
        ClientSession(read, write) as session,
    ):
        await session.initialize()
        tools = await session.list_tools()
        results = [await session.call_tool(name, arguments) for name, arguments in calls]
    return tools, results


def _payload(result: Any) -> Any:
    """A tool's result: Gradio's MCP server sends what the function returned as its
    Python literal text."""
    assert not result.isError, result.content
    return ast.literal_eval(result.content[0].text)


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
    first = answer["citations"][0]
    assert first["speaker"] == "Jens Stoltenberg"
    for citation in answer["citations"]:
        assert SEED_TEXT[citation["start"] : citation["end"]] == citation["quote"]
    assert SEED_ID in {entry["id"] for entry in _payload(listed)}
    assert _payload(shown)["text"] == SEED_TEXT


def test_mcp_can_be_turned_off(tmp_path) -> None:
    with (
        running_app(tmp_path, QA_MCP="0") as (url, _),
        pytest.raises(BaseException),  # noqa: B017 (the client wraps the 404 in groups)
    ):
        asyncio.run(_session_calls(f"{url}gradio_api/mcp/", []))
