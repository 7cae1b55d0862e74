"""The scale curve: search latency, recall, build and load time, memory, by index size.

The vectors are real ones perturbed: every passage, word and evaluation question of the
seed article is embedded with the real model (a few hundred vectors), and each synthetic
vector is one of them plus Gaussian noise scaled to keep a cosine of about 0.8 with it,
then normalised. That gives topic-like clusters, which is what makes approximate search
hard; uniform random vectors would say nothing about recall. (Embedding a million real
sentences takes about 40 minutes here.)

For each size, `VectorIndex.build` picks the index (exact up to its threshold, HNSW
beyond), and it is compared with exact search on the same vectors: recall@10 over 200
questions, and p50 per single query. The index is then written, and a fresh process
reads it and answers one query, reporting its load time and peak memory.
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

from qa.engine import Engine
from qa.vector_index import VectorIndex

QUERIES = 200
NEIGHBOURS = 10
KEEP_COSINE = 0.8
LOAD_PROCESS = """
import json, sys, time
import numpy as np
started = time.perf_counter()
from qa.vector_index import VectorIndex
index = VectorIndex.read(sys.argv[1])
index.search(np.ones(index.dimension, dtype=np.float32) / index.dimension**0.5, 10)
seconds = time.perf_counter() - started
# VmHWM starts afresh at exec; ru_maxrss would count the parent's pages from the fork.
status = open("/proc/self/status").read().split("VmHWM:")[1].split()[0]
print(json.dumps({"seconds": seconds, "peak": int(status)}))
"""


@dataclass
class ScalePoint:
    rows: int
    kind: str
    build_s: float
    p50_ms: float
    exact_p50_ms: float
    recall_at_10: float
    load_s: float
    load_peak_mib: float
    file_mib: float


def real_vectors(engine: Engine) -> np.ndarray:
    texts = engine.stored.passages.texts
    words = sorted({w.lower() for w in engine.article.text.split()})
    return engine.embedder.encode_queries(texts + words)


def perturbed(base: np.ndarray, count: int, rng: np.random.Generator) -> np.ndarray:
    sigma = np.sqrt((1 / KEEP_COSINE**2 - 1) / base.shape[1])
    out = np.empty((count, base.shape[1]), dtype=np.float32)
    for start in range(0, count, 100_000):  # in batches, so the noise never doubles memory
        stop = min(count, start + 100_000)
        rows = base[rng.integers(0, len(base), stop - start)]
        rows = rows + rng.normal(0, sigma, rows.shape).astype(np.float32)
        out[start:stop] = rows / np.linalg.norm(rows, axis=1, keepdims=True)
    return out


def measure(engine: Engine, sizes: list[int]) -> list[ScalePoint]:
    rng = np.random.default_rng(0)
    base = real_vectors(engine)
    points = []
    for rows in sizes:
        vectors = perturbed(base, rows, rng)
        queries = perturbed(base, QUERIES, rng)
        started = time.perf_counter()
        chosen = VectorIndex.build(vectors)
        build_s = time.perf_counter() - started
        exact = chosen if chosen.kind == "exact" else VectorIndex.build(vectors, exact_up_to=rows)
        del vectors
        ours, truth, recall = [], [], []
        for query in queries:
            started = time.perf_counter()
            found = chosen.search(query, NEIGHBOURS)
            ours.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            expected = exact.search(query, NEIGHBOURS)
            truth.append((time.perf_counter() - started) * 1000)
            recall.append(len(set(found.ids.tolist()) & set(expected.ids.tolist())) / NEIGHBOURS)
        del exact
        load_s, peak_mib, file_mib = _load_in_fresh_process(chosen)
        points.append(
            ScalePoint(
                rows,
                chosen.kind,
                build_s,
                statistics.median(ours),
                statistics.median(truth),
                float(np.mean(recall)),
                load_s,
                peak_mib,
                file_mib,
            )
        )
        del chosen
    return points


def _load_in_fresh_process(index: VectorIndex) -> tuple[float, float, float]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "vectors.faiss"
        index.write(path)
        run = subprocess.run(
            [sys.executable, "-c", LOAD_PROCESS, str(path)],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).resolve().parent.parent,
        )
        result = json.loads(run.stdout.strip().splitlines()[-1])
        return result["seconds"], result["peak"] / 1024, path.stat().st_size / 2**20
