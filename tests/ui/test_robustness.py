"""Arbitrary text into the engine: a clear answer or a clear refusal, never an exception."""

import json
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qa.engine import Engine
from qa.errors import InvalidQuestion
from qa.records import in_quotation_marks
from qa.ui.history import turns_from_messages
from tests.conftest import ARTICLE_TEXT

NASTY = [
    "\x00" * 10 + "What did NATO say?",
    "What did \ud800 NATO \udfff say?",  # lone surrogates
    "ما هو موقف الناتو؟ \u202eWhat did NATO say?",  # right-to-left text and override
    "🚀🔥 What did Zelenskyy say? 🇺🇦",
    "?!?!...---***",
    "x" * 1_000_000,
    "<script>alert(1)</script><img src=x onerror=alert(2)>",
    "[link](javascript:alert(1)) **bold** `code`",
    "he he he his him her",
]
questions = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=600),
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF), max_size=80),
    st.text(alphabet=st.characters(categories=["Cc", "Cf", "Cs", "Zs", "Po"]), max_size=50),
)
histories = st.one_of(
    st.none(),
    st.lists(
        st.fixed_dictionaries(
            {"role": st.sampled_from(["user", "assistant"]), "content": st.text(max_size=100)}
        ),
        max_size=4,
    ),
    st.lists(st.one_of(st.integers(), st.text(max_size=10), st.none()), max_size=3),
)


def marked_slice(text: str) -> bool:
    """`text` is a slice of the article set off by `in_quotation_marks`, which adds at
    most a mark or two at either end."""
    for first in range(3):
        for last in range(3):
            inner = text[first : len(text) - last]
            if inner and inner in ARTICLE_TEXT and in_quotation_marks(inner) == text:
                return True
    return False


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(question=questions, history=histories)
def test_any_text_gets_an_answer_or_a_clear_refusal(fake_engine: Engine, question, history) -> None:
    try:
        answer = fake_engine.ask(question, turns_from_messages(history))
    except InvalidQuestion as refusal:
        assert str(refusal).endswith(".") and len(str(refusal)) < 200
        return
    assert answer.citations, "an answer or a refusal always shows the nearest passages"
    for citation in answer.citations:
        assert ARTICLE_TEXT[citation.start : citation.end] == citation.quote
    said = re.match(r"^.*?(?:said|says|quoting [^:]*): (.*)$", answer.answer, re.DOTALL)
    # One quotation, or a speaker's words from several citations, each with its id.
    parts = re.split(r" \(s\d+(?:-s\d+)?\)(?: |$)", said.group(1)) if said else []
    quoted = [part for part in parts if part]
    assert not answer.found or (quoted and all(map(marked_slice, quoted))), answer.answer
    # The answer must survive the trip to JSON and UTF-8 (no lone surrogates leak out).
    json.dumps(answer.to_dict(), ensure_ascii=False).encode("utf-8")
