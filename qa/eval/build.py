"""What building the index costs against the bare encoder, for the benchmark.

`index_article` does everything an added article needs (segmenting, attributing
speakers, laying out and embedding passages); the floor is the same model encoding the
article's bare sentences, nothing else.
"""

from __future__ import annotations

from collections.abc import Callable

from qa.articles.segment import split_sentences
from qa.articles.sources import from_text
from qa.engine import Engine
from qa.search.indexing import index_article


def build_and_floor(
    engine: Engine, text: str
) -> tuple[int, Callable[[], object], Callable[[], object]]:
    """The sentence count of `text`, a call that indexes it, and one that encodes its sentences."""
    article = from_text(text, name="bench")
    sentences = [text[s.span.start : s.span.end] for s in split_sentences(text)]
    return (
        len(sentences),
        lambda: index_article(article, engine.embedder),
        lambda: engine.embedder.encode_passages(sentences),
    )
