"""Index one article: segment it, attribute its speakers, embed its passages.

An article's index depends on nothing but its own text and the `BuildKey`, so adding an
article to a corpus embeds that article alone, and a changed key (another model, a new
segmenter or attribution rules, another passage layout) makes every article stale.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qa.articles.quotes import ATTRIBUTION_VERSION, attribute
from qa.articles.segment import SEGMENTER, split_sentences
from qa.records import Article, Sentence
from qa.search import passages
from qa.search.embedding import Embedder
from qa.search.passages import Passages


@dataclass(frozen=True)
class BuildKey:
    """Everything that, if changed, makes every stored article index stale."""

    model_id: str
    segmenter: str
    passage_format: str


@dataclass(frozen=True)
class IndexedArticle:
    """An article with its sentences and one vector per passage row (see `passages`)."""

    article: Article
    sentences: list[Sentence]
    passages: Passages
    vectors: np.ndarray  # float32, shape (len(passages.texts), dimension)

    @property
    def sentence_vectors(self) -> np.ndarray:
        """The rows that embed whole sentences: what the corpus-wide search indexes."""
        return self.vectors[: self.passages.sentence_count]


def build_key(embedder: Embedder) -> BuildKey:
    return BuildKey(
        model_id=embedder.model_id,
        segmenter=f"{SEGMENTER}; speakers {ATTRIBUTION_VERSION}",
        passage_format=passages.FORMAT,
    )


def index_article(article: Article, embedder: Embedder) -> IndexedArticle:
    sentences = attribute(article.text, split_sentences(article.text))
    rows = passages.layout(sentences)
    vectors = np.ascontiguousarray(embedder.encode_passages(rows.texts), dtype=np.float32)
    return IndexedArticle(article, sentences, rows, vectors)
