"""The `/ask` API through gradio_client against a real `python app.py` on localhost."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from gradio_client import Client

from bench.live import raw_call
from tests.conftest import SEED_ID, SEED_TEXT, stream_result

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def client(server: str) -> Client:
    return Client(server, verbose=False)


def test_ask_is_documented(client: Client) -> None:
    api = client.view_api(print_info=False, return_format="dict")
    assert "/ask" in api["named_endpoints"]
    names = [p["parameter_name"] for p in api["named_endpoints"]["/ask"]["parameters"]]
    assert names == ["question", "history", "article"]
    assert "/articles" in api["named_endpoints"]


def test_ask_returns_the_contract(client: Client) -> None:
    answer = client.predict("What did NATO say about ground forces?", [], api_name="/ask")
    assert set(answer) == {
        "answer",
        "found",
        "unsure",
        "rewritten_question",
        "short_answer",
        "citations",
    }
    assert answer["found"] is True
    first = answer["citations"][0]
    assert first["id"] == "s3" and first["speaker"] == "Jens Stoltenberg"
    for citation in answer["citations"]:
        assert SEED_TEXT[citation["start"] : citation["end"]] == citation["quote"]


def test_ask_returns_the_short_answer_inside_the_first_citation(client: Client) -> None:
    answer = client.predict("How many missiles has Russia fired at Ukraine?", [], api_name="/ask")
    short, first = answer["short_answer"], answer["citations"][0]
    assert short["text"].startswith("nearly a thousand")
    assert SEED_TEXT[short["start"] : short["end"]] == short["text"]
    assert first["start"] <= short["start"] < short["end"] <= first["end"]
    why = client.predict("Why does NATO not want to deploy forces in Ukraine?", [], api_name="/ask")
    reason, first = why["short_answer"], why["citations"][0]
    assert reason["text"].startswith("Because we have a responsibility")
    assert first["start"] <= reason["start"] < reason["end"] <= first["end"]
    untyped = client.predict("What did Zelenskyy ask the US Congress for?", [], api_name="/ask")
    assert untyped["found"] and untyped["short_answer"] is None


def test_follow_up_through_history(client: Client) -> None:
    first = client.predict("What did Zelenskyy ask the US Congress for?", [], api_name="/ask")
    history = [
        {"role": "user", "content": "What did Zelenskyy ask the US Congress for?"},
        {"role": "assistant", "content": first["answer"]},
    ]
    answer = client.predict("What alternative did he offer?", history, api_name="/ask")
    assert answer["rewritten_question"] == "What alternative did Volodymyr Zelenskyy offer?"


def test_articles_are_listed_and_one_can_be_picked(client: Client) -> None:
    (seed,) = client.predict(api_name="/articles")
    assert seed["id"] == SEED_ID and seed["sentences"] == 22 and seed["title"].startswith("NATO")
    answer = client.predict("How many missiles?", [], seed["id"], api_name="/ask")
    assert answer["found"] and {c["article"] for c in answer["citations"]} == {SEED_ID}
    assert {c["article_title"] for c in answer["citations"]} == {seed["title"]}
    with pytest.raises(Exception, match="There is no article 'nope'"):
        client.predict("How many missiles?", [], "nope", api_name="/ask")


def test_not_in_the_article(client: Client) -> None:
    answer = client.predict("What did Joe Biden say?", [], api_name="/ask")
    assert answer["found"] is False and "does not mention Joe Biden" in answer["answer"]


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ("", "Please type a question"),
        ("x" * 100_000, "please keep it under 500 characters"),
        ("\x00\x07\x1b", "Please type a question"),
    ],
)
def test_bad_input_gets_a_clear_error_and_the_server_keeps_serving(
    client: Client, question: str, message: str
) -> None:
    with pytest.raises(Exception, match=message) as error:
        client.predict(question, [], api_name="/ask")
    assert "Traceback" not in str(error.value)
    assert client.predict("How many missiles?", [], api_name="/ask")["found"] is True


def test_html_in_a_question_comes_back_as_plain_data(client: Client) -> None:
    answer = client.predict("<script>alert(1)</script> What did NATO say?", [], api_name="/ask")
    assert answer["found"] and answer["citations"]
    assert "<script>" not in answer["answer"]
    assert all(SEED_TEXT[c["start"] : c["end"]] == c["quote"] for c in answer["citations"])


def test_raw_http_with_trailing_values_left_out_takes_their_defaults(server: str) -> None:
    port = int(server.rstrip("/").rsplit(":", 1)[1])
    question = "What did NATO say about ground forces?"
    for data in ([question], [question, []]):
        answer = stream_result(raw_call(port, "ask", data))
        assert answer["found"] and answer["citations"][0]["speaker"] == "Jens Stoltenberg"
    stream = raw_call(port, "ask", [])
    assert "event: error" in stream, "a call with no question at all is still refused"


def test_a_huge_history_is_bounded_and_the_next_client_is_answered(
    client: Client, server: str
) -> None:
    """One assistant turn of 240,000 characters of pronouns ("he. he. …") once cost the
    follow-up reader billions of steps; it is cut to the history's bound, and the server
    answers this client and the next."""
    history = [
        {"role": "user", "content": "What did Zelenskyy ask the US Congress for?"},
        {"role": "assistant", "content": "he. " * 60_000},
    ]
    with ThreadPoolExecutor(1) as pool:
        asked = pool.submit(
            client.predict, "What alternative did he offer?", history, api_name="/ask"
        )
        # Not a speed test: a bound a hundred times what it takes, which the unbounded
        # reader (116 s) could not meet.
        answer = asked.result(timeout=60)
    assert answer["citations"]
    other = Client(server, verbose=False)
    assert other.predict("What did NATO say about ground forces?", api_name="/ask")["found"]
