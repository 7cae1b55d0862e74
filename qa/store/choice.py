"""Which vector store a corpus uses, from one setting (`QA_VECTOR_STORE`).

Milvus is imported only when asked for, so the default needs neither pymilvus nor
its start-up time.
"""

from __future__ import annotations

from collections.abc import Callable

from qa.config import Config
from qa.search.embedding import Embedder
from qa.store.corpus import Corpus
from qa.store.files import CorpusStore


def open_corpus(
    config: Config,
    embedder: Embedder,
    progress: bool = False,
    on_wait: Callable[[], None] | None = None,
) -> Corpus:
    """The corpus in `config.index_dir`, its vectors where `config.vector_store` says."""
    if not config.vector_store:
        return Corpus(CorpusStore(config.index_dir), embedder, progress, on_wait)
    from qa.store.milvus_store import milvus_corpus

    return milvus_corpus(config.vector_store, config.index_dir, embedder, progress, on_wait)
