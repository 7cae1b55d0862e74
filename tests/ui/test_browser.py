"""The chat in real headless Chromium: asking, highlighting, inert HTML, and embedding."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Dialog, Page

from tests.conftest import FIXTURES, SEED_ID, free_port, running_app, seed_anchor
from tests.ui.browsing import QUESTION, ask

pytestmark = pytest.mark.slow


def watch_dialogs(page: Page) -> list[str]:
    """Collect (and dismiss) every alert, confirm or prompt the page opens."""
    seen: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        seen.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    return seen


def test_question_gets_quote_and_highlight(page: Page, server: str) -> None:
    page.goto(server, wait_until="load")
    ask(page, QUESTION)
    page.locator(f"#qa-article .qa-primary#{seed_anchor('s3')}").wait_for(timeout=30_000)
    chat = page.locator("#qa-chat")
    assert "Jens Stoltenberg said: “But Allies are also united" in chat.inner_text()
    assert (
        "should not deploy forces on the ground"
        in page.locator(f"#{seed_anchor('s3')}").inner_text()
    )

    page.get_by_text("Sources (3)").click()
    page.evaluate("window.stayed = true")
    page.locator(f'#qa-chat a[href="?article={SEED_ID}#s8"]').click()
    page.locator(f"#{seed_anchor('s8')}.qa-target").wait_for(timeout=5_000)
    assert page.evaluate("window.stayed"), "a citation click must not navigate"
    assert page.url.endswith(f"/?article={SEED_ID}#s8"), "the address shares the sentence"


def test_the_short_answer_leads_in_bold_and_is_marked_in_the_article(
    page: Page, server: str
) -> None:
    page.goto(server, wait_until="load")
    ask(page, "How many missiles has Russia fired at Ukraine?")
    marked = page.locator("#qa-article .qa-primary mark.qa-short")
    marked.wait_for(timeout=30_000)
    assert "thousand" in marked.inner_text()
    reply = page.locator("#qa-chat .message.bot").first
    bold = reply.locator("strong")
    assert bold.first.inner_text() == marked.inner_text(), "the reply leads with it, in bold"
    assert bold.count() >= 2, "and marks it inside the quote"
    assert page.locator("#qa-chat").inner_text().index(marked.inner_text()) < page.locator(
        "#qa-chat"
    ).inner_text().index("“")
    # The answering sentence stands far down the article: the panel, not the page,
    # scrolls to it.
    page.wait_for_function(
        """() => {
            const panel = document.querySelector('#qa-article .qa-article');
            const box = document.querySelector('#qa-article .qa-primary').getBoundingClientRect();
            const view = panel.getBoundingClientRect();
            return panel.scrollTop > 0 && box.top >= view.top && box.bottom <= view.bottom;
        }""",
        timeout=5_000,
    )
    assert page.evaluate("window.scrollY") == 0


def test_follow_up_in_the_chat_shows_how_it_was_read(page: Page, server: str) -> None:
    page.goto(server, wait_until="load")
    ask(page, "What did Zelenskyy ask the US Congress for?")
    page.locator("#qa-article .qa-primary").first.wait_for(timeout=30_000)
    ask(page, "What alternative did he offer?")
    reading = page.get_by_text("Interpreting your question as: What alternative did Volodymyr")
    reading.wait_for(timeout=30_000)
    assert "Volodymyr Zelenskyy" in page.locator("#qa-chat").inner_text().split("offer?")[-1]


# Every image of the page has loaded or failed: a script in an `onerror` would have run.
EVERY_IMAGE_SETTLED = "[...document.images].every(image => image.complete)"


def test_not_in_the_article_looks_different(page: Page, server: str) -> None:
    page.goto(server, wait_until="load")
    ask(page, "What did Joe Biden say?")
    page.get_by_text("Not in the article.").wait_for(timeout=30_000)
    assert page.locator("#qa-article .qa-primary").count() == 0


def test_html_in_a_question_runs_no_script(page: Page, server: str) -> None:
    dialogs = watch_dialogs(page)
    page.goto(server, wait_until="load")
    payload = '<img src=x onerror="alert(1)"><script>alert(2)</script> *bold* what about NATO?'
    ask(page, payload)
    page.locator("#qa-chat").get_by_text("what about NATO?").wait_for(timeout=30_000)
    page.wait_for_function(EVERY_IMAGE_SETTLED)  # an onerror would have fired by now
    assert dialogs == []
    assert page.locator("#qa-chat [onerror]").count() == 0
    assert page.locator("#qa-chat strong:text('bold')").count() == 0
    assert "*bold*" in page.locator("#qa-chat").inner_text()


def test_phone_width_stacks_chat_above_article(browser: Browser, server: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    phone = context.new_page()
    phone.goto(server, wait_until="load")
    phone.locator(f"#{seed_anchor('s1')}").wait_for(timeout=30_000)
    chat, article = (
        phone.locator("#qa-chat").bounding_box(),
        phone.locator(f"#{seed_anchor('s1')}").bounding_box(),
    )
    assert chat and article and article["y"] > chat["y"] + chat["height"] - 1
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()


@pytest.fixture(scope="module")
def host_page(server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Another site, on another port, that embeds the chat both documented ways."""
    folder: Path = tmp_path_factory.mktemp("host")
    (folder / "iframe.html").write_text(
        f'<h1>Host</h1><iframe id="chat" src="{server}" width="1000" height="900"></iframe>'
    )
    (folder / "component.html").write_text(
        f'<h1>Host</h1><script type="module" src="{server}embed.js"></script>'
        f'<gradio-app src="{server}"></gradio-app>'
    )
    port = free_port()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{port}/"
    httpd.shutdown()


def test_embedded_by_iframe(page: Page, host_page: str) -> None:
    page.goto(host_page + "iframe.html", wait_until="load")
    frame = page.frame_locator("#chat")
    box = frame.locator("#qa-question textarea")
    box.wait_for(timeout=30_000)
    box.fill(QUESTION)
    box.press("Enter")
    frame.locator(f"#qa-article .qa-primary#{seed_anchor('s3')}").wait_for(timeout=30_000)


def test_embedded_by_web_component(page: Page, host_page: str) -> None:
    page.goto(host_page + "component.html", wait_until="load")
    ask(page, QUESTION, scope="gradio-app")
    page.locator(f"gradio-app #qa-article .qa-primary#{seed_anchor('s3')}").wait_for(timeout=30_000)
    assert "Jens Stoltenberg said" in page.locator("gradio-app #qa-chat").inner_text()


def test_hostile_article_is_shown_as_text(browser: Browser, tmp_path: Path) -> None:
    hostile = FIXTURES / "hostile_article.txt"
    with running_app(tmp_path, QA_ARTICLE=str(hostile)) as (url, _):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        dialogs = watch_dialogs(page)
        page.goto(url, wait_until="load")
        page.locator("#qa-hostile_article-s2").wait_for(timeout=30_000)
        ask(page, "What will the mayor publish?")
        page.locator("#qa-article .qa-primary").first.wait_for(timeout=30_000)
        page.wait_for_function(EVERY_IMAGE_SETTLED)
        assert dialogs == []
        assert page.locator("[onerror]").count() == 0
        assert (
            "<script>alert('quote')</script>" in page.locator("#qa-hostile_article-s2").inner_text()
        )
        chat = page.locator("#qa-chat")
        assert "the *final* report and the __annex__" in chat.inner_text()
        assert chat.locator("em, strong").count() == 0, "Markdown in a quote must not restyle it"
        context.close()
