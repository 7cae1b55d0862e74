"""Benchmark: a question asked of about 2,000 news stories against the same question asked
of its own story alone, through the engine and through gradio_client, in one run.

    python bench/many.py --index DIR [--stories FOLDER] [--runs N] [--build]

The index in DIR is built once, with `qa add FOLDER` (about 10 minutes for 2,000 stories
on 2 cores), and reused by later runs. FOLDER holds the stories, for instance the BBC
News dataset's `bbc/<category>/<NNN>.txt`; without one, `--compose N` writes N stories
made of the news-dev and speakers-dev stories of `../shared/eval/`: the 103 real ones,
then stories of a real headline over paragraphs drawn from the others (seeded), so that
sizes and words follow real news.

The questions are news-dev's (each about one of its stories): each is asked of all
articles, and of its story alone (the floor), alternately, after five to warm up. Asked
of all articles, up to four articles answer (see `engine`), most of them not among the
32 whose answerers the engine keeps: what their answerers cost to build is what this
measures. Prints both p50s and their ratio (target ≤ 1.5×), for the engine and for
`/ask` through gradio_client.

`--build` also times `index_article` on the 103 real stories in a fresh process, in
order: milliseconds per 1,000 words (median and p90), what adding an article costs.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.live import wait_for  # noqa: E402
from bench.run import _start_app, percentile, timed_ms  # noqa: E402
from qa.config import Config  # noqa: E402
from qa.engine import Engine  # noqa: E402
from qa.eval.costs import indexing_rates  # noqa: E402
from qa.eval.datasets import load_squad  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval"
NEWS = EVAL / "news-dev.json"
SPEAKERS = EVAL / "speakers-dev" / "articles"
COMPOSED = 2_128  # as many as the BBC News dataset's distinct stories
WARM = 5


def real_stories() -> list[str]:
    """news-dev's stories, then speakers-dev's, each once."""
    texts = [p.text for p in load_squad(NEWS).passages]
    texts += [path.read_text(encoding="utf-8") for path in sorted(SPEAKERS.glob("*.txt"))]
    return list(dict.fromkeys(texts))


def compose(folder: Path, count: int) -> None:
    """The real stories, then composed ones, `count` distinct stories in all."""
    real = real_stories()
    (folder / "real").mkdir(parents=True, exist_ok=True)
    (folder / "mixed").mkdir(parents=True, exist_ok=True)
    for number, text in enumerate(real):
        (folder / "real" / f"{number:03d}.txt").write_text(text, encoding="utf-8")
    parts = [[p.strip() for p in text.strip().split("\n\n") if p.strip()] for text in real]
    heads = [p[0] for p in parts]
    pool = [paragraph for p in parts for paragraph in p[1:]]
    lengths = [len(p) - 1 for p in parts]
    pick = random.Random(2128)
    seen = set(real)
    while len(seen) < count:
        head = heads[pick.randrange(len(heads))]
        body = pick.sample(pool, max(2, pick.choice(lengths)))
        text = head + "\n\n" + "\n\n".join(body) + "\n"
        if text not in seen:
            (folder / "mixed" / f"{len(seen) - len(real):04d}.txt").write_text(text, "utf-8")
            seen.add(text)


def build_index(index: Path, stories: Path) -> None:
    started = time.perf_counter()
    command = [sys.executable, "-m", "qa", "--index-dir", str(index), "add", str(stories)]
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    print(f"built {index} from {stories} in {time.perf_counter() - started:.0f} s")


def questions_by_story(engine: Engine) -> list[tuple[str, str]]:
    """(question, id of its story) for news-dev's questions whose story is in the index."""
    ids = {}
    for summary in engine.articles:
        text = engine.article(summary.id).article.text
        ids[hashlib.sha256(text.encode("utf-8")).hexdigest()] = summary.id
    data = load_squad(NEWS)
    story = {p.id: ids.get(hashlib.sha256(p.text.encode()).hexdigest()) for p in data.passages}
    return [(q.text, found) for q in data.questions if (found := story[q.passage])]


def paired(
    ask: Callable[[str, str], object], asked: list[tuple[str, str]], runs: int
) -> tuple[float, float]:
    """p50s of each question asked of all articles and of its story, alternating which
    goes first each round, so that neither always finds the other's answerer built."""
    for question, story in asked[:WARM]:
        ask(question, "")
        ask(question, story)
    every: list[float] = []
    alone: list[float] = []
    for run in range(runs):
        for question, story in asked:
            first, second = (every, alone) if run % 2 == 0 else (alone, every)
            scopes = ("", story) if run % 2 == 0 else (story, "")
            first += timed_ms(functools.partial(ask, question, scopes[0]), 1)
            second += timed_ms(functools.partial(ask, question, scopes[1]), 1)
    return statistics.median(every), statistics.median(alone)


def through_engine(index: Path, runs: int) -> tuple[list[tuple[str, str]], float, float]:
    engine, report = Engine.open(Config(index_dir=index))
    asked = questions_by_story(engine)
    print(f"{report.articles} articles, {report.sentences} sentences; {len(asked)} questions")
    every, alone = paired(lambda q, story: engine.ask(q, article=story or None), asked, runs)
    return asked, every, alone


def through_client(index: Path, asked: list[tuple[str, str]], runs: int) -> tuple[float, float]:
    from gradio_client import Client

    port, process = _start_app(str(index))
    try:
        wait_for(f"http://127.0.0.1:{port}/", process, seconds=300)
        client = Client(f"http://127.0.0.1:{port}/", verbose=False)

        def ask(question: str, article: str) -> object:
            return client.predict(question, [], article, api_name="/ask")

        return paired(ask, asked, runs)
    finally:
        process.terminate()
        process.wait(timeout=20)


def build_cost() -> tuple[float, float, int]:
    """`index_article` on the real stories in order: ms per 1,000 words, median and p90."""
    rates = indexing_rates(real_stories())
    return statistics.median(rates), percentile(rates, 0.9), len(rates)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", type=Path, required=True, help="built once, then reused")
    parser.add_argument("--stories", type=Path, help="a folder of stories to build it from")
    parser.add_argument("--compose", type=int, default=COMPOSED, help="stories to compose")
    parser.add_argument("--runs", type=int, default=3, help="rounds of the questions")
    parser.add_argument("--client-runs", type=int, default=1, help="rounds through the client")
    parser.add_argument("--build", action="store_true", help="time index_article too")
    parser.add_argument("--out", type=Path, help="write the figures as JSON")
    args = parser.parse_args()

    if not (args.index / "manifest.json").exists():
        stories = args.stories
        if stories is None:
            stories = args.index.parent / f"{args.index.name}-stories"
            compose(stories, args.compose)
        build_index(args.index, stories)
    asked, every, alone = through_engine(args.index, args.runs)
    rows = [("engine", every, alone)]
    rows.append(("gradio_client", *through_client(args.index, asked, args.client_runs)))
    print(f"{'through':14} {'all p50 ms':>10} {'one p50 ms':>10} {'ratio':>6}  target ≤ 1.5×")
    for name, every, alone in rows:
        print(f"{name:14} {every:10.1f} {alone:10.1f} {every / alone:5.2f}×")
    result: dict[str, object] = {
        name: {"all_p50_ms": every, "one_p50_ms": alone, "ratio": every / alone}
        for name, every, alone in rows
    }
    if args.build:
        median, p90, count = build_cost()
        print(f"index_article, {count} stories: {median:.0f} ms per 1,000 words (p90 {p90:.0f})")
        result["index_article_ms_per_1000_words"] = {"median": median, "p90": p90}
    if args.out:
        args.out.write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
