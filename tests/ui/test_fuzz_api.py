"""A thousand generated inputs through `/ask` with gradio_client; the server keeps answering."""

from __future__ import annotations

import pytest
from gradio_client import Client
from hypothesis import HealthCheck, given, settings

from bench.live import raw_call
from tests.conftest import SEED_TEXT, stream_result
from tests.ui.test_robustness import histories, questions

pytestmark = pytest.mark.slow
EXAMPLES = 1000
FRIENDLY = ("Please type a question", "please keep it under", "has no words in it")
tried = {"count": 0}


@pytest.fixture(scope="module")
def client(server: str) -> Client:
    return Client(server, verbose=False)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(question=questions, history=histories)
def test_generated_inputs_get_an_answer_or_a_clear_error(client: Client, question, history) -> None:
    tried["count"] += 1
    try:
        answer = client.predict(question, history or [], api_name="/ask")
    except UnicodeEncodeError:
        # gradio_client cannot put a lone surrogate into UTF-8; JSON can, escaped.
        answer = raw_ask(client.src, question, history or [])
    except Exception as error:
        message = str(error)
        assert any(text in message for text in FRIENDLY), message
        assert "Traceback" not in message
        return
    if answer is None:
        return
    for citation in answer["citations"]:
        assert SEED_TEXT[citation["start"] : citation["end"]] == citation["quote"]


def raw_ask(server: str, question: str, history: list) -> dict | None:
    """Over raw HTTP; None when the server refused with a friendly error."""
    stream = raw_call(int(server.rstrip("/").rsplit(":", 1)[1]), "ask", [question, history, ""])
    if "event: error" in stream:
        assert any(text in stream for text in FRIENDLY), stream[-300:]
        return None
    return stream_result(stream)


def test_server_still_answers_correctly_afterwards(client: Client) -> None:
    assert tried["count"] >= EXAMPLES
    answer = client.predict("What did NATO say about ground forces?", [], api_name="/ask")
    assert answer["found"] and answer["citations"][0]["id"] == "s3"
