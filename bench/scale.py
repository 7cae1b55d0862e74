"""The scale curve on each vector store, each in its own run: search p50/p95 per question,
recall@10 against exact search, and load time, for `--sizes` sentences.

    .venv/bin/python bench/scale.py --store faiss --sizes 20000,100000
    .venv/bin/python bench/scale.py --store milvus://127.0.0.1:19530 --sizes 20000,100000

The vectors are real ones perturbed (see `qa/eval/scale.py`); with milvus-lite
(`milvus-lite:///tmp/scale.db`, or its server) the figures are a development engine's.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qa.config import Config
from qa.engine import Engine
from qa.eval import scale
from qa.eval.evaluate import DEFAULT_SET, load_questions


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", default="faiss", help="'faiss' or a QA_VECTOR_STORE value")
    parser.add_argument("--sizes", default="20000,100000", help="numbers of sentences")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",") if size]
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as index_dir:
        engine, _ = Engine.open(Config(index_dir=Path(index_dir)))
        questions = [q.question for q in load_questions(DEFAULT_SET)]
        base = scale.base_vectors(engine, questions)  # the same as bench/run.py's
    if args.store == "faiss":
        points: list = scale.measure(base, sizes)
    else:
        from qa.eval import scale_milvus

        points = scale_milvus.measure(base, sizes, args.store)
    for point in points:
        print(json.dumps({"store": args.store, **asdict(point)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
