"""Readers read, editors write: the pages in real headless Chromium.

Anonymous, the reader's page has no control that changes the corpus. An editor signs in
at /edit, adds articles (pasted or uploaded) and removes them; a reader then asks about
them on the reader's page. A wrong password is refused.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from qa.engine import MAX_ARTICLE_CHARS
from qa.ui.web import CHOICE_REMOVED, SEED_EXAMPLES
from tests.conftest import PAGES, running_app
from tests.ui.browsing import ask

pytestmark = pytest.mark.slow

BRIDGE = (
    "The Victoria Bridge will close for eight months from January for repairs costing £12m, "
    "the council said.\n\n"
    "“The bridge is 150 years old and it needs this work,” said engineer Rosa Klein.\n"
)


PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("shelf")
    with running_app(folder, QA_EDITOR_PASSWORD=PASSWORD) as (url, _):
        yield url


def sign_in(page: Page, app: str, password: str) -> None:
    page.goto(app + "edit/", wait_until="load")
    page.locator("input[type=password]").wait_for(timeout=30_000)
    page.locator("input[type=text]").fill("editor")
    page.locator("input[type=password]").fill(password)
    page.get_by_role("button", name="Login").click()


@pytest.fixture
def page(browser: Browser, app: str) -> Iterator[Page]:
    """The editor's page, signed in."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    sign_in(page, app, PASSWORD)
    page.locator("#qa-add").wait_for(timeout=30_000)
    yield page
    context.close()


@pytest.fixture
def reader(browser: Browser, app: str) -> Iterator[Page]:
    """The reader's page, in a context of its own: nobody signed in."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.goto(app, wait_until="load")
    page.locator("#qa-question textarea").wait_for(timeout=30_000)
    yield page
    context.close()


def test_readers_get_no_control_that_writes(reader: Page) -> None:
    reader.locator("#qa-shelf").get_by_role("button").first.click()
    expect(reader.locator("#qa-shelf-list")).to_contain_text("1 article")
    for control in ("#qa-add", "#qa-remove", "#qa-upload", "#qa-paste"):
        assert reader.locator(control).count() == 0, control
    assert "Add article" not in reader.content()


def test_a_wrong_password_is_refused(browser: Browser, app: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, app, "not the password")
    expect(page.get_by_text("Incorrect credentials")).to_be_visible(timeout=15_000)
    assert page.locator("#qa-add").count() == 0
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


def test_an_editor_pastes_a_reader_asks_the_editor_removes(page: Page, reader: Page) -> None:
    add_pasted(page, BRIDGE, "Old bridge to close for repairs")
    expect(page.locator("#qa-status")).to_contain_text(
        "Added “Old bridge to close for repairs” (2 sentences).", timeout=60_000
    )
    expect(page.locator("#qa-shelf-list")).to_contain_text("old-bridge-to-close-for-repairs")
    assert page.locator("#qa-paste textarea").input_value() == "", "cleared after adding"

    # A reader asks about it and sees the quote in place.
    reader.reload(wait_until="load")
    ask(reader, "How long will the Victoria Bridge close for?")
    highlighted = reader.locator("#qa-article #qa-old-bridge-to-close-for-repairs-s1.qa-primary")
    highlighted.wait_for(timeout=30_000)
    reader.get_by_text("Sources (").last.click()
    expect(reader.locator("#qa-chat")).to_contain_text("Old bridge to close for repairs")

    add_pasted(page, BRIDGE, "Another title")
    expect(page.locator("#qa-status")).to_contain_text("is already here, unchanged")

    pick(page, "Old bridge to close for repairs")
    page.locator("#qa-remove").click()
    expect(page.locator("#qa-status")).to_contain_text("Removed “Old bridge to close for repairs”.")
    expect(page.locator("#qa-shelf-list")).not_to_contain_text("old-bridge")
    ask(reader, "How long will the Victoria Bridge close for?")
    expect(reader.locator("#qa-chat")).to_contain_text("Not in the article", timeout=30_000)


def test_an_editor_uploads_an_html_page(page: Page, reader: Page, tmp_path: Path) -> None:
    upload = tmp_path / "vaccine.html"
    shutil.copy(PAGES / "vaccine.html", upload)
    page.locator("#qa-upload input[type=file]").set_input_files(str(upload))
    page.locator("#qa-add").click()
    expect(page.locator("#qa-status")).to_contain_text(
        "Added “Malaria vaccine cuts child deaths by a third in trial”", timeout=60_000
    )
    reader.reload(wait_until="load")
    ask(reader, "Who led the malaria vaccine study?")
    reader.locator("#qa-article #qa-vaccine-s3.qa-primary").wait_for(timeout=30_000)
    expect(reader.locator("#qa-chat")).to_contain_text("Amina Diallo")


def test_too_big_a_paste_is_refused_and_kept(page: Page) -> None:
    expect(page.locator("#qa-shelf-list")).to_contain_text("article")
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


def test_an_open_page_catches_up_with_articles_added_elsewhere(
    browser: Browser, tmp_path: Path
) -> None:
    with running_app(tmp_path) as (url, _):
        context = browser.new_context()
        page = context.new_page()
        page.goto(url, wait_until="load")
        page.locator("#qa-shelf").get_by_role("button").first.click()
        expect(page.locator("#qa-shelf-list")).to_contain_text("1 article", timeout=30_000)
        story = tmp_path / "ferry.txt"
        story.write_text("Ferry service resumes\n\nThe ferry sailed on Friday, the port said.\n")
        env = {**os.environ, "QA_INDEX_DIR": str(tmp_path / "index")}
        added = subprocess.run(
            [sys.executable, "-m", "qa", "add", str(story)], env=env, capture_output=True, text=True
        )
        assert added.returncode == 0, added.stderr
        expect(page.locator("#qa-shelf-list")).to_contain_text("2 articles", timeout=20_000)
        page.locator("#qa-picker input").click()
        expect(page.get_by_role("option", name="Ferry service resumes")).to_be_visible()
        context.close()


FERRY = "The ferry to Lundy will sail again on Friday, the port said.\n"


def test_adding_an_article_keeps_the_readers_choice_and_fitting_examples(
    page: Page, reader: Page
) -> None:
    """Examples are the seed's questions, offered only where they can be answered; an
    article added elsewhere changes no reader's choice, and a removed one says so."""
    example = reader.get_by_role("button", name=SEED_EXAMPLES[0], exact=True)
    expect(example).to_be_visible()  # all articles, the seed among them
    pick(reader, "NATO countries are")
    add_pasted(page, FERRY, "Ferry to Lundy sails again")
    expect(page.locator("#qa-status")).to_contain_text("Added", timeout=60_000)

    reader.locator("#qa-shelf").get_by_role("button").first.click()
    expect(reader.locator("#qa-shelf-list")).to_contain_text("2 articles", timeout=20_000)
    assert reader.locator("#qa-picker input").input_value().startswith("NATO countries are")
    expect(example).to_be_visible()

    pick(reader, "Ferry to Lundy sails again")
    expect(example).to_be_hidden()

    pick(page, "Ferry to Lundy sails again")
    page.locator("#qa-remove").click()
    expect(reader.locator("#qa-picker-note")).to_contain_text(CHOICE_REMOVED, timeout=20_000)
    assert reader.locator("#qa-picker input").input_value() == "All articles"
    expect(example).to_be_visible()
