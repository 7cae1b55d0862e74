"""An editor adds an article from a link, in real headless Chromium against `python app.py`.

The page is served by a web site on loopback (allowed with `QA_FETCH_ALLOW`, as an
intranet would be). The editor pastes its link; the article appears on the shelf; a
reader asks about it and gets a quote, under the page's byline and a link to the
original; `/articles` and the MCP tool list the byline too. A link inside the network
is refused with the message that says what to set, and nothing is added.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from gradio_client import Client
from playwright.sync_api import Browser, Page, expect

from tests.conftest import running_app
from tests.site import Site, page
from tests.ui.browsing import ask
from tests.ui.test_browser_editing import PASSWORD, sign_in
from tests.ui.test_mcp import _payload, _session_calls

pytestmark = pytest.mark.slow

TITLE = "Wildfire forces closure of national park as crews battle flames"
ARTICLE_ID = "wildfire-forces-closure-of-national-park-as-crew"


@pytest.fixture(scope="module")
def news() -> Iterator[Site]:
    served = Site()
    served.routes["/news/wildfire"] = page("wildfire.html")
    yield served
    served.close()


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("links")
    environment = {"QA_EDITOR_PASSWORD": PASSWORD, "QA_FETCH_ALLOW": "127.0.0.1", "QA_MCP": "1"}
    with running_app(folder, **environment) as (url, _):
        yield url


def add_link(editor: Page, link: str) -> None:
    box = editor.locator("#qa-link").locator("input, textarea").first
    box.fill(link)
    editor.locator("#qa-add-link").click()


def test_an_editor_adds_a_link_and_a_reader_asks_about_it(
    browser: Browser, app: str, news: Site
) -> None:
    editing = browser.new_context(viewport={"width": 1280, "height": 1000})
    editor = editing.new_page()
    sign_in(editor, app, PASSWORD)
    editor.locator("#qa-add-link").wait_for(timeout=30_000)

    add_link(editor, "http://169.254.169.254/latest/meta-data/")
    expect(editor.locator("#qa-status")).to_contain_text(
        "The link points to a private address; set QA_FETCH_ALLOW to allow it.", timeout=30_000
    )
    expect(editor.locator("#qa-shelf-list")).to_contain_text("1 article:")

    link = news.url("/news/wildfire")
    add_link(editor, link)
    expect(editor.locator("#qa-status")).to_contain_text(f"Added “{TITLE}”", timeout=60_000)
    expect(editor.locator("#qa-shelf-list")).to_contain_text(ARTICLE_ID)
    assert editor.locator("#qa-link").locator("input, textarea").first.input_value() == ""
    assert [path for path, _ in news.requests] == ["/news/wildfire"]
    editing.close()

    reading = browser.new_context(viewport={"width": 1280, "height": 1000})
    reader = reading.new_page()
    reader.goto(f"{app}?article={ARTICLE_ID}", wait_until="load")
    byline = reader.locator("#qa-article .qa-byline")
    expect(byline).to_contain_text("By Marco Alvarez · Valley Courier · 2 August 2026")
    assert byline.locator("a").get_attribute("href") == link
    ask(reader, "What did Laura Chen say about the wind?")
    reader.locator(f"#qa-article [id^='qa-{ARTICLE_ID}-s'].qa-primary").wait_for(timeout=30_000)
    expect(reader.locator("#qa-chat")).to_contain_text("The wind shifted twice this afternoon")
    reading.close()
    assert [path for path, _ in news.requests] == ["/news/wildfire"], "readers fetch nothing"

    listed = Client(app, verbose=False).predict(api_name="/articles")
    (entry,) = [item for item in listed if item["id"] == ARTICLE_ID]
    byline_fields = {"url": link, "author": "Marco Alvarez", "date": "2026-08-02"}
    assert {key: entry[key] for key in byline_fields} == byline_fields
    # Playwright's own event loop runs in this thread: the MCP client gets one of its own.
    calls = _session_calls(f"{app}gradio_api/mcp/", [("articles", {})])
    with ThreadPoolExecutor(1) as elsewhere:
        _, (tool_listed,) = elsewhere.submit(asyncio.run, calls).result()
    (tool_entry,) = [item for item in _payload(tool_listed) if item["id"] == ARTICLE_ID]
    assert tool_entry == entry
