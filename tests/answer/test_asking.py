"""What the articles answering one question share: its vectors and its parse."""

from __future__ import annotations

import threading

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
