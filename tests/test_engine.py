"""The engine's plumbing and contract, on the fake embedder (quality is measured elsewhere)."""

import re
import threading
import time

import pytest

import qa.engine as engine_module
from qa.engine import MAX_QUESTION_CHARS, Engine
from qa.errors import InvalidQuestion
from qa.records import Turn, in_quotation_marks
from tests.conftest import ARTICLE_ID, ARTICLE_TEXT

QUESTION_ABOUT = "What did NATO say about ground forces?"

CONTRACT_KEYS = {"answer", "found", "unsure", "rewritten_question", "short_answer", "citations"}
CITATION_KEYS = {"id", "article", "article_title", "quote", "start", "end", "speaker", "score"}


def test_answer_follows_the_contract(fake_engine: Engine) -> None:
    answer = fake_engine.ask("What did NATO say about deploying forces on the ground?").to_dict()
    assert set(answer) == CONTRACT_KEYS
    assert answer["found"] is True and answer["rewritten_question"] is None
    assert 0 < len(answer["citations"]) <= 3
    scores = [c["score"] for c in answer["citations"]]
    assert scores == sorted(scores, reverse=True)
    for citation in answer["citations"]:
        assert set(citation) == CITATION_KEYS
        assert ARTICLE_TEXT[citation["start"] : citation["end"]] == citation["quote"]
        assert re.fullmatch(r"s\d+(-s\d+)?", citation["id"])
        assert citation["article"] == ARTICLE_ID


def test_quoted_answer_text_is_a_slice_of_the_article(fake_engine: Engine) -> None:
    for question in [
        "Will this conflict escalate beyond Ukraine?",
        "What defense systems do we need?",
    ]:
        answer = fake_engine.ask(question)
        quoted = re.search(r"“(.*)”$", answer.answer)
        assert answer.found and quoted, answer.answer
        first = answer.citations[0]
        assert quoted.group(1) in ARTICLE_TEXT[first.start : first.end], "quotes its first citation"


def test_direct_speech_is_attributed(fake_engine: Engine) -> None:
    answer = fake_engine.ask("should not deploy forces on the ground or in the airspace")
    assert answer.citations[0].id == "s3"
    assert answer.answer.startswith("Jens Stoltenberg said: “But Allies are also united")


def test_dependent_sentence_is_cited_with_the_one_before(fake_engine: Engine) -> None:
    answer = fake_engine.ask("a responsibility to ensure that this conflict doesn't escalate")
    first = answer.citations[0]
    assert first.id == "s3-s4" and first.sentence_ids == ("s3", "s4")
    assert first.quote.startswith("But Allies") and first.quote.endswith("press conference.")


def test_unknown_names_are_refused_plainly(fake_engine: Engine) -> None:
    answer = fake_engine.ask("What did Joe Biden say about the no-fly zone?")
    assert answer.found is False
    assert answer.answer == "The article does not mention Joe Biden, so it cannot answer this."
    assert answer.citations, "the nearest passages still follow"


def test_follow_up_resolves_pronoun_from_history(fake_engine: Engine) -> None:
    history = [
        Turn("user", "What did Zelenskyy ask the US Congress for?"),
        Turn("assistant", "The article reports: “…”"),
    ]
    answer = fake_engine.ask("What alternative did he offer?", history)
    assert answer.rewritten_question == "What alternative did Volodymyr Zelenskyy offer?"
    assert fake_engine.ask("What alternative did he offer?").rewritten_question is None


def test_a_history_that_names_no_one_rewrites_nothing(fake_engine: Engine) -> None:
    for history in [[], [Turn("user", "What happened?")], [Turn("assistant", "")]]:
        assert fake_engine.ask("What did he offer?", history).rewritten_question is None


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ("", "Please type a question"),
        ("   \n\t ", "Please type a question"),
        ("\x00\x01\x7f", "Please type a question"),
        ("?!…—", "no words"),
        ("x" * (MAX_QUESTION_CHARS + 1), "under 500 characters"),
    ],
)
def test_bad_questions_get_a_clear_message(
    fake_engine: Engine, question: str, message: str
) -> None:
    with pytest.raises(InvalidQuestion, match=message):
        fake_engine.ask(question)


def test_control_characters_and_html_are_harmless(fake_engine: Engine) -> None:
    answer = fake_engine.ask("What\x00 did <b>NATO</b> say\u202e about ground forces?")
    assert answer.found and answer.citations
    assert all(ARTICLE_TEXT[c.start : c.end] == c.quote for c in answer.citations)


def test_a_likely_passage_without_what_was_asked_is_quoted_as_unsure(fake_engine: Engine) -> None:
    answer = fake_engine.ask("What is the capital of Ukraine?")
    assert answer.found is False and answer.unsure is True
    assert answer.answer.startswith("The article may not say anything about capital. The closest")
    closest = answer.citations[0].quote
    assert answer.answer.endswith(f"The closest passage is: {in_quotation_marks(closest)}")
    assert closest.startswith("“") and closest in ARTICLE_TEXT  # its own marks, no second pair
    flat = fake_engine.ask("What did Joe Biden say about the no-fly zone?")
    assert flat.found is False and flat.unsure is False


def test_concurrent_first_questions_build_an_article_once(
    fake_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Questions that arrive together about an article not yet built wait for one build."""
    built: list[str] = []
    release = threading.Event()
    real = engine_module.ArticleAnswerer

    def slow_build(indexed, *args):  # held until every question has arrived
        built.append(indexed.article.id)
        release.wait(timeout=10)
        return real(indexed, *args)

    monkeypatch.setattr(engine_module, "ArticleAnswerer", slow_build)
    answers: list[str] = []
    askers = [
        threading.Thread(target=lambda: answers.append(fake_engine.ask(QUESTION_ABOUT).answer))
        for _ in range(8)
    ]
    for asker in askers:
        asker.start()
    deadline = time.monotonic() + 10
    while not built and time.monotonic() < deadline:
        time.sleep(0.01)
    release.set()
    for asker in askers:
        asker.join(timeout=30)
    assert built == [ARTICLE_ID] and len(answers) == 8 and len(set(answers)) == 1


def test_an_article_is_read_from_its_files_without_building_an_answerer(
    fake_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_build(*args):
        raise AssertionError("listing an article built an answerer")

    monkeypatch.setattr(engine_module, "ArticleAnswerer", no_build)
    annotated = fake_engine.article(ARTICLE_ID)
    assert annotated.article.text == ARTICLE_TEXT and len(annotated.sentences) == 22
