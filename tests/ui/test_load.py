"""Many users at once against `python app.py`: every answer right, a clear "busy", flat memory."""

from __future__ import annotations

import http.client
import statistics
import threading
import time
from pathlib import Path

import pytest
from gradio_client import Client

from bench.live import memory_bytes, raw_call
from tests.conftest import running_app, stream_result

pytestmark = pytest.mark.slow

CLIENTS = 40
QUESTIONS = {  # question -> the sentence that must be cited first (None: must abstain)
    "What did NATO say about ground forces?": "s3",
    "How many missiles has Russia fired at Ukraine?": "s12",
    "What has Russia turned the Ukrainian sky into?": "s10",
    "What did Stoltenberg say about death and destruction?": "s5",
    "What did Joe Biden say?": None,
}


def check(question: str, answer: dict) -> None:
    expected = QUESTIONS[question]
    assert answer["found"] is (expected is not None), question
    if expected:
        assert answer["citations"][0]["id"] == expected, question


def test_forty_clients_five_questions_each(server: str) -> None:
    latencies: list[float] = []
    errors: list[str] = []

    def user() -> None:
        try:
            client = Client(server, verbose=False)
            for question in QUESTIONS:
                started = time.perf_counter()
                answer = client.predict(question, [], api_name="/ask")
                latencies.append(time.perf_counter() - started)
                check(question, answer)
        except Exception as error:  # collected and asserted below, with its message
            errors.append(f"{type(error).__name__}: {error}")

    threads = [threading.Thread(target=user) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert errors == []
    assert len(latencies) == CLIENTS * len(QUESTIONS)
    ordered = sorted(latencies)
    p50, p95 = statistics.median(ordered), ordered[int(0.95 * len(ordered))]
    print(
        f"{CLIENTS} clients x {len(QUESTIONS)} questions: p50 {p50 * 1000:.0f} ms, "
        f"p95 {p95 * 1000:.0f} ms"
    )


def test_past_the_queue_bound_users_hear_busy_not_silence(tmp_path: Path) -> None:
    with running_app(tmp_path, QA_QUEUE_SIZE="2") as (url, _):
        outcomes: list[str] = []
        # Every user has connected before any asks, and all ask at once: 24 questions
        # arrive together for 2 workers and 2 places in the queue.
        clients = [Client(url, verbose=False) for _ in range(24)]
        together = threading.Barrier(len(clients))

        def user(client: Client) -> None:
            together.wait(timeout=60)
            try:
                check(
                    "What did NATO say about ground forces?",
                    client.predict("What did NATO say about ground forces?", [], api_name="/ask"),
                )
                outcomes.append("answered")
            except Exception as error:
                outcomes.append(str(error))

        threads = [threading.Thread(target=user, args=(client,)) for client in clients]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert len(outcomes) == 24, "every user got an answer or a refusal, nobody hangs"
        busy = [o for o in outcomes if o != "answered"]
        assert busy, "the bound was reached"
        assert set(busy) == {"Queue is full! Please try again."}
        assert "answered" in outcomes


def ask_raw(connection: http.client.HTTPConnection, question: str) -> dict:
    return stream_result(raw_call(0, "ask", [question, [], ""], connection))


def test_memory_stays_flat_over_two_thousand_questions(tmp_path: Path) -> None:
    with running_app(tmp_path) as (url, process):
        port = int(url.rstrip("/").rsplit(":", 1)[1])
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        questions = list(QUESTIONS)
        for n in range(200):  # warm every path and cache first
            ask_raw(connection, f"{questions[n % len(questions)]} {n}")
        before = memory_bytes(process.pid)
        for n in range(2000):
            question = questions[n % len(questions)]
            if n % 100 == 0:  # the plain question, whose answer is known
                check(question, ask_raw(connection, question))
            else:  # distinct texts, so nothing can be answered from a cache
                ask_raw(connection, f"{question} (variant {n})")
        growth = memory_bytes(process.pid) - before
        print(f"RSS growth over 2000 questions: {growth / 2**20:.1f} MiB")
        assert growth < 50 * 2**20
