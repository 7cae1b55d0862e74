"""Serve the article assistant: `python app.py`, then open http://127.0.0.1:7860.

The chat, the `/ask` API and the embeddable widget come from `qa.ui.web`, and the server
(with the editor's page when editors are configured) from `qa.ui.server`; this file only
wires them up, and `demo` at module level lets `gradio app.py` reload mode find the page.
"""

from qa.ui.server import serve
from qa.ui.web import build

demo = build()

if __name__ == "__main__":
    serve(demo)
