"""The baselines the engine is measured against, over the same sentences and model.

`NaiveBaseline` is the pipeline this project exists to beat: embed bare sentences, take
the top-k by cosine, abstain below a fixed similarity, credit no speaker.
"""

from __future__ import annotations

from qa.answer.answerer import MAX_CITATIONS
from qa.engine import Engine
from qa.records import Answer, Citation, in_quotation_marks
from qa.search.embedding import Embedder, SentenceTransformerEmbedder
from qa.search.indexing import IndexedArticle
from qa.search.vector_index import VectorIndex

# The baseline abstains below this cosine: a plain cut-off, as a first demo would use.
BASELINE_THRESHOLD = 0.30


class NaiveBaseline:
    """Dense-only top-k over bare sentences: what a first retrieval demo does."""

    def __init__(self, indexed: IndexedArticle, embedder: Embedder) -> None:
        self._indexed = indexed
        self._embedder = embedder
        self._index = VectorIndex.build(
            embedder.encode_passages([s.text for s in indexed.sentences])
        )

    def ask(self, question: str) -> Answer:
        query = self._embedder.encode_queries([question])[0]
        found = self._index.search(query, MAX_CITATIONS)
        article = self._indexed.article
        citations = []
        for row, score in zip(found.ids, found.scores, strict=True):
            s = self._indexed.sentences[int(row)]
            quote = article.text[s.start : s.end]
            citations.append(
                Citation(
                    (s.id,), article.id, article.title, quote, s.start, s.end, None, float(score)
                )
            )
        answered = bool(found.scores[0] >= BASELINE_THRESHOLD)
        body = in_quotation_marks(citations[0].quote) if answered else "Not found."
        return Answer(body, answered, None, citations)


def torch_baseline(engine: Engine, article_id: str) -> NaiveBaseline:
    """The naive pipeline over one article, encoding its questions with sentence-transformers
    (torch), as demos do: the floor the benchmark holds the engine's question time to."""
    return NaiveBaseline(engine.indexed(article_id), SentenceTransformerEmbedder())
