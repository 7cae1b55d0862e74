"""Benchmark: what parsing costs in memory under new words, and in time on a long article.

    python bench/parsing.py [--questions 10000] [--chars 200000]

Prints, beside a floor measured in the same process (see `qa/eval/costs.py`):
- spaCy's string store and peak resident memory over N questions of random tokens, as
  the question reader parses them, against the bare pipeline's over as many;
- reading an article of 200,000 characters: segmenting, parsing and crediting, with
  crediting timed at a tenth of the length too (ten times the time is linear).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.eval.costs import long_article, question_memory  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--chars", type=int, default=200_000)
    args = parser.parse_args()
    ours, bare = question_memory(args.questions)
    print(f"{args.questions:,} questions of random tokens")
    print("| | question reader | bare pipeline (floor) |\n|---|---:|---:|")
    print(f"| strings kept | {ours.strings:,} | {bare.strings:,} |")
    print(f"| peak resident memory grown, MB | {ours.resident_mb:.1f} | {bare.resident_mb:.1f} |")
    article = long_article(args.chars)
    ratio = article.credit_s / article.credit_tenth_s if article.credit_tenth_s else float("nan")
    print(f"\nan article of {article.chars:,} characters, {article.quotations} quotations")
    print("| segmenting | parsing | crediting | crediting a tenth as long | ratio |")
    print("|---:|---:|---:|---:|---:|")
    print(
        f"| {article.segment_s:.2f} s | {article.parse_s:.2f} s | {article.credit_s:.3f} s "
        f"| {article.credit_tenth_s:.3f} s | {ratio:.1f}× (10× is linear) |"
    )


if __name__ == "__main__":
    main()
