"""The scale curve: the corpus-wide search at growing numbers of sentences.

What is measured is what the engine does with a large corpus: opening it (read the
manifest, verify the search index's checksum, read the index), and the first pass of a
question (search the sentence vectors of every article, map rows to articles); the
second pass answers from at most `ARTICLES_ANSWERING` articles whatever the corpus size,
and is measured by `run.py` on a real corpus. Question encoding is excluded.

The vectors are real ones perturbed: every passage, word and evaluation question of the
seed article is embedded with the real model (a few hundred vectors), and each synthetic
vector is one of them plus Gaussian noise scaled to keep a cosine of about 0.8 with it,
then normalised. That gives topic-like clusters, which is what makes approximate search
hard; uniform random vectors would say nothing about recall. (Embedding a million real
sentences takes about 40 minutes here.) Articles are `SENTENCES_PER_ARTICLE` sentences
long, as in the seed; their own files are not written, since neither step reads them.

For each size the corpus is written by `CorpusStore.commit`, with the index type that
`VectorIndex` picks (exact up to its threshold, HNSW beyond), and compared with exact
search on the same vectors: recall@10 over 200 questions, and p50 per single question.
A fresh process then opens the corpus and answers one question, reporting its time and
peak memory.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from qa.engine import CANDIDATE_ROWS, Engine
from qa.search.indexing import BuildKey
from qa.search.vector_index import VectorIndex
from qa.store.corpus import Snapshot
from qa.store.files import ArticleEntry, CorpusStore

QUERIES = 200
NEIGHBOURS = 10
KEEP_COSINE = 0.8
SENTENCES_PER_ARTICLE = 25
OPEN_PROCESS = """
import json, sys, time
from pathlib import Path
import numpy as np
started = time.perf_counter()
from qa.store.corpus import Snapshot
from qa.store.files import CorpusStore
store = CorpusStore(Path(sys.argv[1]))
catalogue = store.read()
search = store.load_search(catalogue)
snapshot = Snapshot(catalogue, search, store.signature())
found = search.search(np.ones(search.dimension, dtype=np.float32) / search.dimension**0.5, 64)
np.searchsorted(snapshot.row_starts, found.ids, side="right")
seconds = time.perf_counter() - started
# VmHWM starts afresh at exec; ru_maxrss would count the parent's pages from the fork.
status = open("/proc/self/status").read().split("VmHWM:")[1].split()[0]
print(json.dumps({"seconds": seconds, "peak": int(status)}))
"""


@dataclass
class ScalePoint:
    sentences: int
    articles: int
    kind: str
    build_s: float
    p50_ms: float
    p95_ms: float
    exact_p50_ms: float
    recall_at_10: float
    open_s: float
    open_peak_mib: float
    file_mib: float


def base_vectors(engine: Engine, questions: list[str]) -> np.ndarray:
    """The real vectors the synthetic ones are made from: the seed's passages, its words
    and the evaluation questions, embedded as questions are."""
    seed = engine.indexed(engine.seed_id)
    words = sorted({w.lower() for w in seed.article.text.split()})
    return engine.embedder.encode_queries(seed.passages.texts + words + questions)


def perturbed(base: np.ndarray, count: int, rng: np.random.Generator) -> np.ndarray:
    sigma = np.sqrt((1 / KEEP_COSINE**2 - 1) / base.shape[1])
    out = np.empty((count, base.shape[1]), dtype=np.float32)
    for start in range(0, count, 100_000):  # in batches, so the noise never doubles memory
        stop = min(count, start + 100_000)
        rows = base[rng.integers(0, len(base), stop - start)]
        rows = rows + rng.normal(0, sigma, rows.shape).astype(np.float32)
        out[start:stop] = rows / np.linalg.norm(rows, axis=1, keepdims=True)
    return out


def measure(base: np.ndarray, sizes: list[int]) -> list[ScalePoint]:
    """`base`: real vectors to perturb; `sizes`: numbers of sentences."""
    rng = np.random.default_rng(0)
    points = []
    for sentences in sizes:
        vectors = perturbed(base, sentences, rng)
        queries = perturbed(base, QUERIES, rng)
        started = time.perf_counter()
        chosen = VectorIndex.build(vectors)
        build_s = time.perf_counter() - started
        kind = chosen.kind
        exact = chosen if chosen.kind == "exact" else VectorIndex.build(vectors, sentences)
        del vectors
        with tempfile.TemporaryDirectory() as folder:
            directory = Path(folder)
            articles = _write_corpus(directory, chosen)
            snapshot = Snapshot(CorpusStore(directory).read(), chosen, None)
            ours, truth, recall = [], [], []
            for query in queries:
                started = time.perf_counter()
                found = chosen.search(query, CANDIDATE_ROWS)
                np.searchsorted(snapshot.row_starts, found.ids, side="right")
                ours.append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                expected = exact.search(query, NEIGHBOURS)
                truth.append((time.perf_counter() - started) * 1000)
                top = set(found.ids[:NEIGHBOURS].tolist())
                recall.append(len(top & set(expected.ids.tolist())) / NEIGHBOURS)
            del exact, chosen, snapshot
            open_s, peak_mib = _open_in_fresh_process(directory)
            file_mib = sum(p.stat().st_size for p in directory.iterdir()) / 2**20
        points.append(
            ScalePoint(
                sentences,
                articles,
                kind,
                build_s,
                statistics.median(ours),
                float(np.percentile(ours, 95)),
                statistics.median(truth),
                float(np.mean(recall)),
                open_s,
                peak_mib,
                file_mib,
            )
        )
    return points


def _write_corpus(directory: Path, search: VectorIndex) -> int:
    """A manifest of `search.size / SENTENCES_PER_ARTICLE` articles, and the index."""
    count = -(-search.size // SENTENCES_PER_ARTICLE)
    entries = []
    for number in range(count):
        sentences = min(SENTENCES_PER_ARTICLE, search.size - number * SENTENCES_PER_ARTICLE)
        digest = f"{number:064x}"
        entries.append(
            ArticleEntry(
                id=f"article-{number}",
                title=f"Synthetic article number {number}",
                source=f"/corpus/articles/article-{number}.html",
                sha256=digest,
                sentences=sentences,
                rows=sentences * 3,
                files={
                    f"{role}-{digest[-16:]}.{suffix}": digest
                    for role, suffix in (("text", "txt"), ("sentences", "json"), ("vectors", "npy"))
                },
            )
        )
    key = BuildKey("all-MiniLM-L6-v2", "synthetic", "synthetic")
    CorpusStore(directory).commit(key, entries, search)
    return count


def _open_in_fresh_process(directory: Path) -> tuple[float, float]:
    run = subprocess.run(
        [sys.executable, "-c", OPEN_PROCESS, str(directory)],
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(run.stdout.strip().splitlines()[-1])
    return result["seconds"], result["peak"] / 1024
