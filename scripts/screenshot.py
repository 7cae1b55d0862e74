"""Regenerate docs/screenshot.png: the app answering the design question, in Chromium.

    .venv/bin/python scripts/screenshot.py

Run it on purpose when the page changes; the tests never write into the repository.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.live import free_port, wait_for  # noqa: E402
from tests.ui.browsing import CHROMIUM, FLAGS, QUESTION  # noqa: E402


def main() -> None:
    port = free_port()
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "GRADIO_SERVER_PORT": str(port), "QA_INDEX_DIR": f"{folder}/index"}
        server = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=env)
        try:
            url = f"http://127.0.0.1:{port}/"
            wait_for(url, server)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                page.goto(url, wait_until="load")
                box = page.locator("#qa-question textarea")
                box.wait_for(timeout=30_000)
                box.fill(QUESTION)
                box.press("Enter")
                page.locator("#qa-article .qa-primary").first.wait_for(timeout=30_000)
                page.wait_for_timeout(800)  # let the scroll and the highlight settle
                page.screenshot(path=str(ROOT / "docs" / "screenshot.png"))
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=20)
    print("written to docs/screenshot.png")


if __name__ == "__main__":
    main()
