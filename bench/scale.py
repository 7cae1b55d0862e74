"""The scale curve on both vector stores in one run: FAISS in memory and a Milvus server,
at the same `--sizes` sentences, from the same vectors and questions.

    .venv/bin/python bench/scale.py --sizes 100000,1000000
    .venv/bin/python bench/scale.py --milvus milvus://db.example:19530 --sizes 100000

Without `--milvus`, a Milvus standalone server (the `milvus` package, a test extra) is
started in a temporary folder and stopped at the end, and its memory is reported. The
vectors are real ones perturbed (see `qa/eval/scale.py`). Each point is printed as one
JSON line as soon as it is measured, then both curves as tables.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.live import free_port
from qa.config import Config
from qa.engine import Engine
from qa.eval import scale, scale_milvus
from qa.eval.evaluate import DEFAULT_SET, load_questions


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000", help="numbers of sentences")
    parser.add_argument("--milvus", help="a QA_VECTOR_STORE value (default: start a server)")
    parser.add_argument("--skip-faiss", action="store_true", help="measure Milvus only")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",") if size]
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as folder:
        engine, _ = Engine.open(Config(index_dir=Path(folder) / "index"))
        questions = [q.question for q in load_questions(DEFAULT_SET)]
        base = scale.base_vectors(engine, questions)  # the same as bench/run.py's
        del engine
        faiss = [] if args.skip_faiss else scale.measure(base, sizes)
        for point in faiss:
            print(json.dumps({"store": "faiss", **asdict(point)}), flush=True)
        if args.milvus:
            milvus = scale_milvus.measure(base, sizes, args.milvus)
        else:
            from bench.milvus_server import MilvusProcess

            server = MilvusProcess(Path(folder) / "milvus", free_port())
            server.start()
            try:
                setting = f"{server.uri}?collection=scale_curve"
                milvus = scale_milvus.measure(base, sizes, setting, server.resident_bytes)
            finally:
                server.stop()
    for milvus_point in milvus:
        print(json.dumps({"store": "milvus", **asdict(milvus_point)}), flush=True)
    print(
        "\n| FAISS sentences | index | build s | p50 ms | p95 ms | exact p50 ms | recall@10 "
        "| open s | open peak MiB |"
    )
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    for f in faiss:
        print(
            f"| {f.sentences:,} | {f.kind} | {f.build_s:.1f} | {f.p50_ms:.2f} | {f.p95_ms:.2f} "
            f"| {f.exact_p50_ms:.2f} | {f.recall_at_10:.3f} | {f.open_s:.1f} "
            f"| {f.open_peak_mib:.0f} |"
        )
    print(
        "\n| Milvus sentences | insert s | rows/s | index s | p50 ms | p95 ms | recall@10 "
        "| open s | server MiB |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for m in milvus:
        memory = f"{m.server_mib:.0f}" if m.server_mib is not None else "–"
        print(
            f"| {m.sentences:,} | {m.insert_s:.1f} | {m.rows_per_s:,.0f} | {m.index_s:.1f} "
            f"| {m.p50_ms:.2f} | {m.p95_ms:.2f} | {m.recall_at_10:.3f} | {m.open_s:.1f} "
            f"| {memory} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
