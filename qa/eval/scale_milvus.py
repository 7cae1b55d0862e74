"""The scale curve on a Milvus server: the same vectors and questions as `scale`.

Each size is written through `MilvusRows.put`, as `qa add` writes an article (its rows
deleted, then inserted in batches), in synthetic articles of `ROWS_PER_ARTICLE` sentence
rows, so that the figure is the server's insert rate rather than one call's round trip
per 25 rows. The server then flushes and indexes every row (HNSW, with the M and
efConstruction the FAISS index uses), timed apart. Questions are searched as the
engine's first pass searches (sentence rows, `CANDIDATE_ROWS` of them, the same efSearch)
and compared with exact search in NumPy: recall@10 and p50/p95 per question. Opening is
a fresh process connecting and answering one search. The server's resident memory is
read after the questions, when `memory` can tell it.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from qa.engine import CANDIDATE_ROWS
from qa.eval.scale import NEIGHBOURS, QUERIES, perturbed
from qa.records import Article
from qa.search.indexing import IndexedArticle
from qa.search.passages import Passages
from qa.store.milvus_rows import MilvusAddress, MilvusRows, RowOwner

OWNER = RowOwner("scale", "curve")  # the rows of one synthetic corpus and build
ROWS_PER_ARTICLE = 1_000
INDEXED_SECONDS = 3_600
OPEN_PROCESS = """
import json, sys, time
started = time.perf_counter()
import numpy as np
from qa.eval.scale_milvus import OWNER
from qa.store.milvus_rows import MilvusAddress, MilvusRows
rows = MilvusRows(MilvusAddress.parse(sys.argv[1]), OWNER)
rows.search(np.ones(rows.dimension, dtype=np.float32) / rows.dimension**0.5, 64)
print(json.dumps({"seconds": time.perf_counter() - started}))
"""


@dataclass
class MilvusPoint:
    sentences: int
    insert_s: float
    rows_per_s: float
    index_s: float
    p50_ms: float
    p95_ms: float
    recall_at_10: float
    open_s: float
    server_mib: float | None


def measure(
    base: np.ndarray, sizes: list[int], setting: str, memory: Callable[[], int] | None = None
) -> list[MilvusPoint]:
    """`setting`: a `QA_VECTOR_STORE` value; its collection is replaced at each size.
    `memory`: the server's resident bytes, if it runs here."""
    rng = np.random.default_rng(0)
    points = []
    for sentences in sizes:
        vectors = perturbed(base, sentences, rng)
        queries = perturbed(base, QUERIES, rng)
        rows = MilvusRows(MilvusAddress.parse(setting), OWNER)
        if rows.dimension:
            rows.drop()
        started = time.perf_counter()
        for start in range(0, sentences, ROWS_PER_ARTICLE):
            rows.put(f"article-{start // ROWS_PER_ARTICLE}", _article(vectors, start))
        insert_s = time.perf_counter() - started
        started = time.perf_counter()
        rows.wait_indexed(INDEXED_SECONDS)
        index_s = time.perf_counter() - started
        times, recall = [], []
        for query in queries:
            started = time.perf_counter()
            found = rows.search(query, CANDIDATE_ROWS)
            times.append((time.perf_counter() - started) * 1000)
            exact = np.argsort(-(vectors @ query))[:NEIGHBOURS]
            truth = {(f"article-{i // ROWS_PER_ARTICLE}", i % ROWS_PER_ARTICLE) for i in exact}
            top = {(article, row) for article, _, row in found[:NEIGHBOURS]}
            recall.append(len(top & truth) / NEIGHBOURS)
        rows.close()
        points.append(
            MilvusPoint(
                sentences,
                insert_s,
                sentences / insert_s,
                index_s,
                statistics.median(times),
                float(np.percentile(times, 95)),
                float(np.mean(recall)),
                _open_in_fresh_process(setting),
                memory() / 2**20 if memory else None,
            )
        )
    return points


def _article(vectors: np.ndarray, start: int) -> IndexedArticle:
    """Synthetic article: only sentence rows, so every row is searched."""
    chunk = vectors[start : start + ROWS_PER_ARTICLE]
    digest = f"{start:064x}"
    article = Article(f"article-{start}", "", "", "", digest)
    passages = Passages([""] * len(chunk), len(chunk), np.zeros(0, dtype=np.int64))
    return IndexedArticle(article, [], passages, chunk)


def _open_in_fresh_process(setting: str) -> float:
    run = subprocess.run(
        [sys.executable, "-c", OPEN_PROCESS, setting], capture_output=True, text=True, check=True
    )
    return float(json.loads(run.stdout.strip().splitlines()[-1])["seconds"])
