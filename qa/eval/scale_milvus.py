"""The scale curve on Milvus: the same vectors and questions as `scale`, in a collection.

Each size is written as synthetic articles of `SENTENCES_PER_ARTICLE` sentence rows
through `MilvusRows.put`, as `qa add` writes them, then searched as the engine's first
pass searches (sentence rows, `CANDIDATE_ROWS` of them, HNSW with the same M and
efSearch), against exact search in NumPy: recall@10 over the questions, p50 and p95 per
question. Load time is a fresh process connecting and answering one search. With
milvus-lite these are the figures of a development engine, not of a cluster.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass

import numpy as np

from qa.engine import CANDIDATE_ROWS
from qa.eval.scale import NEIGHBOURS, QUERIES, SENTENCES_PER_ARTICLE, perturbed
from qa.records import Article
from qa.search.indexing import IndexedArticle
from qa.search.passages import Passages
from qa.store.milvus_rows import MilvusAddress, MilvusRows

OPEN_PROCESS = """
import json, sys, time
started = time.perf_counter()
import numpy as np
from qa.store.milvus_rows import MilvusAddress, MilvusRows
rows = MilvusRows(MilvusAddress.parse(sys.argv[1]))
rows.search(np.ones(rows.dimension, dtype=np.float32) / rows.dimension**0.5, 64)
print(json.dumps({"seconds": time.perf_counter() - started}))
"""


@dataclass
class MilvusPoint:
    sentences: int
    insert_s: float
    p50_ms: float
    p95_ms: float
    recall_at_10: float
    open_s: float


def measure(base: np.ndarray, sizes: list[int], setting: str) -> list[MilvusPoint]:
    """`setting`: a `QA_VECTOR_STORE` value; its collection is replaced at each size."""
    rng = np.random.default_rng(0)
    points = []
    for sentences in sizes:
        vectors = perturbed(base, sentences, rng)
        queries = perturbed(base, QUERIES, rng)
        rows = MilvusRows(MilvusAddress.parse(setting))
        rows.drop()
        started = time.perf_counter()
        for start in range(0, sentences, SENTENCES_PER_ARTICLE):
            rows.put(f"article-{start // SENTENCES_PER_ARTICLE}", _article(vectors, start))
        rows.search(queries[0], CANDIDATE_ROWS)  # the index is built before it answers
        insert_s = time.perf_counter() - started
        times, recall = [], []
        for query in queries:
            started = time.perf_counter()
            found = rows.search(query, CANDIDATE_ROWS)
            times.append((time.perf_counter() - started) * 1000)
            exact = np.argsort(-(vectors @ query))[:NEIGHBOURS]
            truth = {
                (f"article-{i // SENTENCES_PER_ARTICLE}", i % SENTENCES_PER_ARTICLE) for i in exact
            }
            top = {(article, row) for article, _, row in found[:NEIGHBOURS]}
            recall.append(len(top & truth) / NEIGHBOURS)
        rows.close()
        points.append(
            MilvusPoint(
                sentences,
                insert_s,
                statistics.median(times),
                float(np.percentile(times, 95)),
                float(np.mean(recall)),
                _open_in_fresh_process(setting),
            )
        )
    return points


def _article(vectors: np.ndarray, start: int) -> IndexedArticle:
    """Synthetic article: only sentence rows, so every row is searched."""
    chunk = vectors[start : start + SENTENCES_PER_ARTICLE]
    digest = f"{start:064x}"
    article = Article(f"article-{start}", "", "", "", digest)
    passages = Passages([""] * len(chunk), len(chunk), np.zeros(0, dtype=np.int64))
    return IndexedArticle(article, [], passages, chunk)


def _open_in_fresh_process(setting: str) -> float:
    run = subprocess.run(
        [sys.executable, "-c", OPEN_PROCESS, setting], capture_output=True, text=True, check=True
    )
    return float(json.loads(run.stdout.strip().splitlines()[-1])["seconds"])
