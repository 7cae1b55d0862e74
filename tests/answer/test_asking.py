"""What the articles answering one question share: its vectors and its parse."""

from __future__ import annotations

import os
import signal
import threading
import time

import numpy as np
import pytest

import qa.answer.answerer as answerer
from qa.answer.answerer import Asking
from qa.answer.reading.expected import Expected, Nouns, expected
from qa.search.embedding import WordVectors
from tests.fakes import CountingEmbedder


class ThreadNoting(CountingEmbedder):
    """Notes the thread each query batch is encoded on."""

    def __init__(self) -> None:
        super().__init__()
        self.threads: list[str] = []

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        self.threads.append(threading.current_thread().name)
        return super().encode_queries(texts)


def test_the_question_is_parsed_beside_the_encoding_of_its_forms(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    embedder = ThreadNoting()
    asking = Asking(embedder, Nouns(WordVectors(embedder)))
    embedder.threads.clear()  # the listed nouns, encoded once for the engine
    embedder.queries = 0
    parsed_on: list[str] = []

    def noted(question: str, nouns: Nouns | None = None) -> Expected | None:
        parsed_on.append(threading.current_thread().name)
        return expected(question, nouns)

    monkeypatch.setattr(answerer, "expected", noted)
    forms = ["How many missiles did Russia fire?", "How many missiles did fire?"]
    asked = asking.expected("How many missiles did Russia fire?", forms)
    assert asked is not None and (asked.kind, asked.noun) == ("count", "missile")
    assert embedder.threads == [threading.current_thread().name]  # the forms, here
    assert parsed_on and parsed_on[0] != threading.current_thread().name  # the parse, beside
    assert embedder.queries == 2
    # Another article answering the same question reads it from what is shared.
    assert asking.expected("How many missiles did Russia fire?", forms) is asked
    assert len(parsed_on) == 1 and embedder.queries == 2


def test_a_failing_parse_fails_the_question(monkeypatch: pytest.MonkeyPatch) -> None:
    embedder = CountingEmbedder()
    asking = Asking(embedder, Nouns(WordVectors(embedder)))

    def broken(question: str, nouns: Nouns | None = None) -> Expected | None:
        raise RuntimeError("the parser is gone")

    monkeypatch.setattr(answerer, "expected", broken)
    with pytest.raises(RuntimeError, match="the parser is gone"):
        asking.expected("Who won?", ["Who won?"])


def test_a_forked_process_reads_questions_on_a_thread_of_its_own() -> None:
    embedder = CountingEmbedder()
    asking = Asking(embedder, Nouns(WordVectors(embedder)))
    asking.expected("Who won?", ["Who won?"])  # the reader thread is running here
    child = os.fork()
    if child == 0:  # the parent's reader thread is not in the child
        try:
            asked = Asking(embedder, Nouns(WordVectors(embedder))).expected("Who won?", ["Who"])
            os._exit(0 if asked is not None and asked.kind == "person" else 1)
        finally:
            os._exit(2)
    deadline = time.monotonic() + 30
    while (done := os.waitpid(child, os.WNOHANG))[0] == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    if done[0] == 0:
        os.kill(child, signal.SIGKILL)
        os.waitpid(child, 0)
        pytest.fail("the forked process's question never got its parse")
    assert os.waitstatus_to_exitcode(done[1]) == 0
