"""The short answer: the typed mention that made the first citation win, as its own slice."""

from __future__ import annotations

import pytest

from qa.engine import Engine
from tests.conftest import SEED_TEXT


@pytest.mark.slow
@pytest.mark.parametrize(
    ("question", "short"),
    [
        ("How many missiles has Russia fired at Ukraine?", "nearly a thousand"),
        ("When did Stoltenberg speak?", "Wednesday"),
    ],
)
def test_a_typed_question_gets_the_words_that_answer_it(
    real_engine: Engine, question: str, short: str
) -> None:
    answer = real_engine.ask(question)
    assert answer.found and answer.short_answer is not None
    found, first = answer.short_answer, answer.citations[0]
    assert found.text == short == SEED_TEXT[found.start : found.end]
    assert first.start <= found.start < found.end <= first.end


@pytest.mark.slow
def test_a_question_of_no_kind_or_a_refusal_gets_no_short_answer(real_engine: Engine) -> None:
    assert real_engine.ask("What did Zelenskyy ask the US Congress for?").short_answer is None
    refused = real_engine.ask("How many refugees have fled Ukraine?")
    assert not refused.found and refused.short_answer is None
