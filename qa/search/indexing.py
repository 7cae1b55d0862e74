"""Index articles: read each (sentences, speakers, typed mentions), embed its passages.

An article's index depends on nothing but its own text and the `BuildKey`, so adding
articles to a corpus embeds those articles alone (several at once share the encoder's
batches, which changes no vector), and a changed key (another model, new
reading rules or parser, another passage layout) makes every article stale.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from qa.articles.annotate import READING_VERSION, annotate_each, unread
from qa.articles.people import Person
from qa.articles.segment import split_sentences
from qa.records import Article, Quotation, Sentence
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
    """An article as read (its sentences, the people it names, its quotations with their
    cues; see `annotate`) with one vector per passage row (see `passages`)."""

    article: Article
    sentences: list[Sentence]
    passages: Passages
    vectors: np.ndarray  # float32, shape (len(passages.texts), dimension)
    people: list[Person] = field(default_factory=list)
    quotations: list[Quotation] = field(default_factory=list)

    @property
    def sentence_vectors(self) -> np.ndarray:
        """The rows that embed whole sentences: what the corpus-wide search indexes."""
        return self.vectors[: self.passages.sentence_count]


def build_key(embedder: Embedder) -> BuildKey:
    return BuildKey(
        model_id=embedder.model_id,
        segmenter=READING_VERSION,
        passage_format=passages.FORMAT,
    )


def index_article(article: Article, embedder: Embedder) -> IndexedArticle:
    """Read and embed one article."""
    return index_articles([article], embedder)[0]


def index_articles(articles: list[Article], embedder: Embedder) -> list[IndexedArticle]:
    """Read and embed articles, all their passages in one call to the encoder, so that
    short articles share its batches. The rows to embed depend only on the sentences'
    text, so the parse runs on a thread of its own while the encoder works: on two cores
    it adds about a fifth to the time of embedding alone, against two fifths after it."""
    if not articles:
        return []
    segmented = [split_sentences(article.text) for article in articles]
    # A pool of its own each time, not one kept alive: a process forked later (a test's
    # writer, say) would inherit a pool whose thread it does not have.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="qa-reader") as reader:
        reading = reader.submit(annotate_each, [a.text for a in articles], segmented)
        layouts = [
            passages.layout(unread(a.text, s)) for a, s in zip(articles, segmented, strict=True)
        ]
        texts = [text for rows in layouts for text in rows.texts]
        vectors = np.ascontiguousarray(embedder.encode_passages(texts), dtype=np.float32)
        readings = reading.result()
    ends = np.cumsum([len(rows.texts) for rows in layouts])
    return [
        IndexedArticle(article, read.sentences, rows, own, read.people, read.quotations)
        for article, read, rows, own in zip(
            articles, readings, layouts, np.split(vectors, ends[:-1]), strict=True
        )
    ]
