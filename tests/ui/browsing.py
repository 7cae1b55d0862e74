"""What the browser tests share: Debian's Chromium, its flags, and asking in the page."""

from __future__ import annotations

from playwright.sync_api import Page

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
QUESTION = "What did NATO say about ground forces?"


def ask(page: Page, question: str, scope: str = "") -> None:
    """Ask once the page has shown its article: asked sooner, the page's own first
    drawing of the panel may land after the answer's, and hide its highlights."""
    page.locator(f"{scope} #qa-article .qa-article".strip()).first.wait_for(timeout=30_000)
    box = page.locator(f"{scope} #qa-question textarea".strip())
    box.fill(question)
    box.press("Enter")
