"""Addresses and the article panel in real headless Chromium.

A link `/?q=…&article=…` asks its question; `#s7` opens the article at that sentence; a
source followed in the chat scrolls the article panel, not the page; the sources name
their one article once; headings are drawn in a real bold face.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from playwright.sync_api import Locator, Page

from tests.conftest import SEED_ID, seed_anchor
from tests.ui.browsing import QUESTION, ask

pytestmark = pytest.mark.slow

SEED_TITLE_END = "not imposing a no-fly zone…"  # the seed's title, cut short
# Whether a sentence is inside its article's visible box, and inside the window.
IN_VIEW = """id => {
  const sentence = document.getElementById(id).getBoundingClientRect();
  const panel = document.getElementById(id).closest('.qa-article').getBoundingClientRect();
  return sentence.top >= panel.top && sentence.bottom <= panel.bottom
    && sentence.top >= 0 && sentence.bottom <= window.innerHeight;
}"""


def wait_in_view(page: Page, element_id: str) -> None:
    page.wait_for_function(f"({IN_VIEW})('{element_id}')", timeout=10_000)


# The middle of an element, if a click there would reach it.
HIT_POINT = """element => {
  const box = element.getBoundingClientRect();
  const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
  return element.contains(document.elementFromPoint(x, y)) ? [x, y] : null;
}"""


def click_in_place(page: Page, link: Locator) -> None:
    """Click the link where it is once it stays put and shows, as a person would.
    Playwright's own click scrolls the page to chase a link that the chat is still moving,
    which would hide whether the app moved the page."""
    before = None
    for _ in range(50):
        point = link.evaluate(HIT_POINT)
        if point is not None and point == before:
            page.mouse.click(*point)
            return
        before = point
        page.wait_for_timeout(100)
    raise AssertionError("the link never came to rest in view")


def test_a_link_asks_its_question_about_its_article(page: Page, server: str) -> None:
    page.goto(f"{server}?q={quote(QUESTION)}&article={SEED_ID}", wait_until="load")
    page.locator(f"#qa-article .qa-primary#{seed_anchor('s3')}").wait_for(timeout=30_000)
    assert "Jens Stoltenberg said: “But Allies" in page.locator("#qa-chat").inner_text()
    assert page.locator("#qa-picker input").input_value().endswith(SEED_TITLE_END)


@pytest.mark.parametrize("address", [f"?article={SEED_ID}#s17", "#s17"])
def test_a_shared_sentence_opens_highlighted_and_in_view(
    page: Page, server: str, address: str
) -> None:
    page.goto(server + address, wait_until="load")
    page.locator(f"#{seed_anchor('s17')}.qa-target").wait_for(timeout=30_000)
    wait_in_view(page, seed_anchor("s17"))
    assert page.evaluate("window.scrollY") == 0


def test_a_source_scrolls_the_article_not_the_page(page: Page, server: str) -> None:
    page.goto(server, wait_until="load")
    ask(page, "How many missiles has Russia fired at Ukraine?")
    page.locator(f"#qa-article .qa-primary#{seed_anchor('s12')}").wait_for(timeout=30_000)
    page.get_by_text("Sources (").click()
    click_in_place(page, page.locator(f'#qa-chat a[href="?article={SEED_ID}#s12"]'))
    wait_in_view(page, seed_anchor("s12"))
    assert page.evaluate("document.querySelector('.qa-article').scrollTop") > 0
    assert page.evaluate("window.scrollY") == 0, "the page itself must stay put"


def test_sources_from_one_article_name_it_once(page: Page, server: str) -> None:
    page.goto(server, wait_until="load")
    ask(page, QUESTION)
    page.get_by_text("Sources (3)").click()
    page.locator(f'#qa-chat a[href="?article={SEED_ID}#s1"]').wait_for()
    assert page.locator("#qa-chat").inner_text().count(SEED_TITLE_END) == 1


def test_headings_use_one_real_bold_face(page: Page, server: str) -> None:
    """Each heading's letters come from one installed font, and it is a bold face: no
    letter falls back to another font, and none is thickened by the browser."""
    page.goto(server, wait_until="load")
    page.locator(f"#{seed_anchor('s1')}").wait_for(timeout=30_000)
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    headings = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": "h1, h2, h3"})
    assert len(headings["nodeIds"]) >= 3
    for node in headings["nodeIds"]:
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        names = [font["postScriptName"] for font in fonts]
        assert len(names) == 1 and re.search("bold", names[0], re.IGNORECASE), names


def test_a_two_sentence_source_marks_both_and_stays_on_the_page(page: Page, server: str) -> None:
    """A citation of two sentences links to `#s3-s4`: followed, it marks both in the panel
    and the page does not navigate away; opened as an address, it shows both."""
    page.goto(server, wait_until="load")
    ask(page, "Why does NATO not want to deploy forces in Ukraine?")
    page.get_by_text("Sources (").click()
    link = page.locator(f'#qa-chat a[href="?article={SEED_ID}#s3-s4"]')
    link.wait_for(timeout=30_000)
    address = page.url
    click_in_place(page, link)
    page.locator(f"#{seed_anchor('s4')}.qa-target").wait_for(timeout=10_000)
    assert "qa-target" in (page.locator(f"#{seed_anchor('s3')}").get_attribute("class") or "")
    assert page.url.split("?")[0] == address.split("?")[0]
    page.goto(f"{server}?article={SEED_ID}#s3-s4", wait_until="load")
    for sentence in ("s3", "s4"):
        page.locator(f"#{seed_anchor(sentence)}.qa-target").wait_for(timeout=30_000)
    wait_in_view(page, seed_anchor("s3"))
