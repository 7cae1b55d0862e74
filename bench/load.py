"""Benchmark: many users at once through gradio_client, against `python app.py` and against
a Gradio app whose `/ask` does nothing, in one run.

    python bench/load.py [--clients 40] [--questions 5] [--rounds 3]

Both apps serve `/ask` through Gradio's queue with the app's own concurrency and queue
bound (`Config`), on localhost, with analytics off. Each round asks the floor app, then
ours: every client connects first, then all ask their questions one after another.
Printed: p50 and p95 of one question's latency over every round, for both apps, and the
ratios (the target for p95 is ≤ 1.2×). Also printed: the engine's own p50 over the same
questions in this process, the part of a question's time that is ours rather than
Gradio's, since on two cores a question's engine time adds to every queued one's wait.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.live import free_port, wait_for  # noqa: E402
from bench.run import percentile  # noqa: E402
from qa.config import Config  # noqa: E402
from qa.engine import Engine  # noqa: E402

QUESTIONS = [
    "What did NATO say about ground forces?",
    "How many missiles has Russia fired at Ukraine?",
    "What has Russia turned the Ukrainian sky into?",
    "What did Stoltenberg say about death and destruction?",
    "What did Joe Biden say?",
]
NO_OP_APP = """
import os
import gradio as gr
from qa.config import Config

config = Config.from_env()


def ask(question: str, history: list | None = None, article: str = "") -> dict:
    return {"answer": "", "found": False, "unsure": False, "rewritten_question": None,
            "short_answer": None, "citations": []}


with gr.Blocks() as demo:
    gr.api(ask, api_name="ask")
demo.queue(default_concurrency_limit=config.concurrency, max_size=config.queue_size)
demo.launch(server_port=int(os.environ["GRADIO_SERVER_PORT"]), prevent_thread_lock=False)
"""


def started(command: list[str], index_dir: str) -> tuple[str, subprocess.Popen]:
    port = free_port()
    environment = {
        **os.environ,
        "GRADIO_SERVER_PORT": str(port),
        "GRADIO_ANALYTICS_ENABLED": "False",
        "QA_INDEX_DIR": index_dir,
    }
    process = subprocess.Popen(
        command, cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}/"
    wait_for(url, process, seconds=180)
    return url, process


def latencies(url: str, clients: int, questions: list[str]) -> list[float]:
    """Seconds per question, every client asking `questions` in turn, all at once."""
    from gradio_client import Client

    connected = [Client(url, verbose=False) for _ in range(clients)]
    together = threading.Barrier(clients)
    times: list[float] = []
    errors: list[str] = []

    def user(client: Client) -> None:
        together.wait(timeout=120)
        for question in questions:
            began = time.perf_counter()
            try:
                client.predict(question, [], "", api_name="/ask")
            except Exception as error:  # counted: a benchmark with errors says so
                errors.append(str(error))
            times.append(time.perf_counter() - began)

    threads = [threading.Thread(target=user, args=(client,)) for client in connected]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    if errors:
        raise RuntimeError(f"{len(errors)} questions failed, the first: {errors[0]}")
    return times


def engine_p50_ms(index_dir: str, questions: list[str], rounds: int = 20) -> float:
    engine, _ = Engine.open(Config(index_dir=Path(index_dir)))
    for question in questions:
        engine.ask(question)
    times = []
    for _ in range(rounds):
        for question in questions:
            began = time.perf_counter()
            engine.ask(question)
            times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=40)
    parser.add_argument("--questions", type=int, default=len(QUESTIONS))
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    questions = (QUESTIONS * args.questions)[: args.questions]
    apps: dict[str, list[str]] = {
        "no-op Gradio app": [sys.executable, "-c", NO_OP_APP],
        "python app.py": [sys.executable, "app.py"],
    }
    measured: dict[str, list[float]] = {name: [] for name in apps}
    with tempfile.TemporaryDirectory(prefix="bench-load-") as index_dir:
        running: dict[str, tuple[str, subprocess.Popen]] = {}
        try:
            for name, command in apps.items():
                running[name] = started(command, index_dir)
            for name in apps:  # one unmeasured round: first connections, first answers
                latencies(running[name][0], 4, questions)
            for _ in range(args.rounds):
                for name in apps:
                    measured[name] += latencies(running[name][0], args.clients, questions)
        finally:
            for _, process in running.values():
                process.terminate()
                process.wait(timeout=20)
        engine_ms = engine_p50_ms(index_dir, questions)
    floor, ours = (measured[name] for name in apps)
    print(f"{args.clients} clients x {len(questions)} questions, {args.rounds} rounds")
    print(f"{'':18} {'p50 ms':>8} {'p95 ms':>8}")
    for name, times in measured.items():
        p50, p95 = statistics.median(times) * 1000, percentile(times, 0.95) * 1000
        print(f"{name:18} {p50:8.1f} {p95:8.1f}")
    p50_ratio = statistics.median(ours) / statistics.median(floor)
    p95_ratio = percentile(ours, 0.95) / percentile(floor, 0.95)
    print(f"{'ratio':18} {p50_ratio:8.2f} {p95_ratio:8.2f}   target p95 ≤ 1.2×")
    print(f"engine alone, p50 over the same questions: {engine_ms:.2f} ms")


if __name__ == "__main__":
    main()
