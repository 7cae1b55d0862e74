"""Accessibility in real headless Chromium: axe-core finds nothing serious after an
answer, the flow works by keyboard alone, and screen readers hear which sentences the
answer cites, not only see the outline and shading.

axe-core comes from npm (`package.json`; `./scripts/check` runs `npm ci`) and is
injected into the page, so nothing is fetched while the test runs.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import ROOT, SEED_ID, seed_anchor
from tests.ui.browsing import QUESTION, ask

pytestmark = pytest.mark.slow

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VIOLATIONS = """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
  .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.html.slice(0, 120))}))"""


@pytest.fixture(scope="module")
def axe() -> str:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `npm ci` in the project (./scripts/check does)")
    return AXE.read_text(encoding="utf-8")


def keys_until(page: Page, selector: str, key: str = "Tab", most: int = 40) -> None:
    """Press `key` until the focused element matches `selector`."""
    for _ in range(most):
        page.keyboard.press(key)
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{key} never reached {selector}")


def test_no_serious_or_critical_violations_after_an_answer(
    page: Page, server: str, axe: str
) -> None:
    page.goto(server, wait_until="load")
    ask(page, QUESTION)
    page.locator(f"#qa-article .qa-primary#{seed_anchor('s3')}").wait_for(timeout=30_000)
    page.get_by_text("Sources (3)").click()
    page.locator(f'#qa-chat a[href="?article={SEED_ID}#s8"]').click()
    page.add_script_tag(content=axe)
    found = page.evaluate(VIOLATIONS)
    assert [v for v in found if v["impact"] in ("serious", "critical")] == []


def test_the_whole_flow_works_by_keyboard_and_is_announced(page: Page, server: str) -> None:
    page.goto(server, wait_until="load")
    page.locator(f"#{seed_anchor('s1')}").wait_for(timeout=30_000)
    keys_until(page, "#qa-question textarea")
    page.keyboard.type(QUESTION)
    page.keyboard.press("Enter")
    page.locator(f"#qa-article .qa-primary#{seed_anchor('s3')}").wait_for(timeout=30_000)

    # The Sources toggle sits above the box, in the chat: back to it, open it, on to s8.
    toggle = "#qa-chat [role=button][aria-expanded]"
    keys_until(page, toggle, key="Shift+Tab")
    assert page.locator(toggle).get_attribute("aria-expanded") == "false"
    page.keyboard.press("Enter")
    expect(page.locator(toggle)).to_have_attribute("aria-expanded", "true")
    keys_until(page, f'#qa-chat a[href="?article={SEED_ID}#s8"]')
    page.keyboard.press("Enter")

    sentence = page.locator(f"#{seed_anchor('s8')}")
    expect(sentence).to_have_class("qa-sentence qa-cited qa-target")
    assert page.evaluate("document.activeElement.id") == seed_anchor("s8")
    assert page.evaluate("window.scrollY") == 0
    # What a screen reader hears: the followed source, and labels on the cited sentences.
    announced = page.get_by_role("status").filter(has_text="Shown in the article")
    expect(announced).to_contain_text("s8 · Jens Stoltenberg. “[Member countries’ foreign]")
    tree = page.locator("#qa-article").aria_snapshot()
    assert "Answer: But Allies are also united" in tree.replace("\n", " ")
    assert tree.count("Source:") == 2, tree
