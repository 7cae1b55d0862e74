"""Serve the article assistant: `python app.py`, then open http://127.0.0.1:7860.

The chat, the `/ask` API and the embeddable widget all come from `qa.ui.web`; this file
only wires them up, so `gradio app.py` reload mode works too.
"""

from qa.ui.web import build, serve

demo = build()

if __name__ == "__main__":
    serve(demo)
