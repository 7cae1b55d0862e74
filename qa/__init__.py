"""Grounded question answering over a news article: every quoted word is the article's own.

Importing the package sets the offline defaults before any dependency reads them:
huggingface_hub and gradio read their settings once, at import.
"""

import os

# A model *name* given by mistake must fail at once instead of waiting on a hub that
# cannot be reached, and nothing may phone home at start-up.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
