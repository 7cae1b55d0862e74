"""Adding, listing, picking and removing articles in real headless Chromium."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from qa.articles.sources import MAX_ARTICLE_CHARS
from tests.conftest import PAGES, running_app
from tests.ui.test_browser import ask, browser  # noqa: F401 (a fixture)

pytestmark = pytest.mark.slow

BRIDGE = (
    "The Victoria Bridge will close for eight months from January for repairs costing £12m, "
    "the council said.\n\n"
    "“The bridge is 150 years old and it needs this work,” said engineer Rosa Klein.\n"
)


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_app(tmp_path_factory.mktemp("shelf")) as (url, _):
        yield url


@pytest.fixture
def page(browser: Browser, app: str) -> Iterator[Page]:  # noqa: F811 (browser is a fixture)
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.goto(app, wait_until="load")
    page.get_by_text("Articles: add, list, remove").click()
    yield page
    context.close()


def status(page: Page) -> str:
    return page.locator("#qa-status").inner_text()


def add_pasted(page: Page, text: str, title: str = "") -> None:
    page.get_by_label("Title of a pasted article (optional)").fill(title)
    page.locator("#qa-paste textarea").fill(text)
    page.locator("#qa-add").click()


def pick(page: Page, title: str) -> None:
    page.locator("#qa-picker input").click()
    page.get_by_role("option", name=title).click()


def test_paste_ask_and_remove(page: Page) -> None:
    add_pasted(page, BRIDGE, "Old bridge to close for repairs")
    expect(page.locator("#qa-status")).to_contain_text(
        "Added “Old bridge to close for repairs” (2 sentences).", timeout=60_000
    )
    expect(page.locator("#qa-shelf-list")).to_contain_text("old-bridge-to-close-for-repairs")
    assert page.locator("#qa-paste textarea").input_value() == "", "cleared after adding"

    # The picker now shows the new article; ask about it and see the quote in place.
    ask(page, "How long will the Victoria Bridge close for?")
    highlighted = page.locator("#qa-article #qa-old-bridge-to-close-for-repairs-s1.qa-primary")
    highlighted.wait_for(timeout=30_000)
    page.get_by_text("Sources (").last.click()
    expect(page.locator("#qa-chat")).to_contain_text("from Old bridge to close for repairs")

    add_pasted(page, BRIDGE, "Another title")
    expect(page.locator("#qa-status")).to_contain_text("is already here, unchanged")

    pick(page, "Old bridge to close for repairs")
    page.locator("#qa-remove").click()
    expect(page.locator("#qa-status")).to_contain_text("Removed “Old bridge to close for repairs”.")
    expect(page.locator("#qa-shelf-list")).not_to_contain_text("old-bridge")
    ask(page, "How long will the Victoria Bridge close for?")
    expect(page.locator("#qa-chat")).to_contain_text("Not in the article", timeout=30_000)


def test_upload_an_html_page(page: Page, tmp_path: Path) -> None:
    upload = tmp_path / "vaccine.html"
    shutil.copy(PAGES / "vaccine.html", upload)
    page.locator("#qa-upload input[type=file]").set_input_files(str(upload))
    page.locator("#qa-add").click()
    expect(page.locator("#qa-status")).to_contain_text(
        "Added “Malaria vaccine cuts child deaths by a third in trial”", timeout=60_000
    )
    pick(page, "All articles")
    ask(page, "Who led the malaria vaccine study?")
    page.locator("#qa-article #qa-vaccine-s3.qa-primary").wait_for(timeout=30_000)
    expect(page.locator("#qa-chat")).to_contain_text("Amina Diallo")


def test_too_big_a_paste_is_refused_and_kept(page: Page) -> None:
    shelf = page.locator("#qa-shelf-list").inner_text()
    add_pasted(page, "word " * (MAX_ARTICLE_CHARS // 5 + 1))
    expect(page.locator("#qa-status")).to_contain_text(
        f"the limit is {MAX_ARTICLE_CHARS:,} characters", timeout=30_000
    )
    assert page.locator("#qa-shelf-list").inner_text() == shelf, "nothing changed"
    assert page.locator("#qa-paste textarea").input_value().startswith("word word")
    page.locator("#qa-paste textarea").fill("")
    page.locator("#qa-add").click()
    expect(page.locator("#qa-status")).to_contain_text("Choose a file or paste an article first.")
