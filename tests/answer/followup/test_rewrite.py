from typing import Literal

from qa.answer.followup.rewrite import rewrite
from qa.records import Turn
from qa.ui.history import turns_from_messages as parse_history
from tests.conftest import ARTICLE_TEXT, FIXTURES, people_in

SEED_PEOPLE = people_in(ARTICLE_TEXT)
OTHER_PEOPLE = people_in((FIXTURES / "said_after.txt").read_text(encoding="utf-8"))


def test_gradio_message_shapes_are_read() -> None:
    history = parse_history(
        [
            {"role": "user", "content": [{"type": "text", "text": "What did Jean\\-Claude say?"}]},
            {"role": "assistant", "content": "A reply"},
            {"role": "assistant", "content": "Sources", "metadata": {"title": "Sources (3)"}},
            {"role": "user", "content": [{"type": "file", "path": "x.png"}]},
        ]
    )
    assert [(m.role, m.content) for m in history] == [
        ("user", "What did Jean-Claude say?"),
        ("assistant", "A reply"),
    ]


def test_latest_message_naming_someone_wins() -> None:
    history = parse_history(
        [
            {"role": "user", "content": "What did Stoltenberg say?"},
            {"role": "assistant", "content": "Volodymyr Zelenskyy said: “…”"},
        ]
    )
    assert rewrite("What did he ask for?", history, SEED_PEOPLE).person == "Volodymyr Zelenskyy"


def test_her_before_a_noun_is_possessive() -> None:
    history = parse_history([{"role": "user", "content": "What did Kowalski say?"}])
    assert rewrite("What did her government decide?", history, OTHER_PEOPLE).question == (
        "What did Anna Kowalski’s government decide?"
    )
    assert rewrite("Did they ask her about it?", history, OTHER_PEOPLE).question == (
        "Did they ask Anna Kowalski about it?"
    )


def test_a_question_that_names_someone_is_left_alone() -> None:
    history = parse_history([{"role": "user", "content": "What did Kowalski say?"}])
    for question in [
        "What did Tomas Berg say about his plan?",
        "What did the minister say of his plan?",
    ]:
        assert rewrite(question, history, OTHER_PEOPLE).person is None
    assert rewrite("What did he say?", [], OTHER_PEOPLE).person is None


STORM_TEXT = (
    "Storm Mirela struck the coast on Monday. It flooded three towns.\n\n"
    "“We were not ready,” said Mayor Ana Silva. She ordered an evacuation.\n"
)
STORM_PEOPLE = people_in(STORM_TEXT)


def _turns(*pairs: tuple[Literal["user", "assistant"], str]) -> list[Turn]:
    return [Turn(role, content) for role, content in pairs]


def test_she_is_never_a_storm() -> None:
    history = _turns(("user", "When did Storm Mirela strike?"), ("assistant", "On Monday."))
    assert rewrite("What did she say?", history, STORM_PEOPLE, STORM_TEXT).person is None
    history += _turns(("user", "Who is Ana Silva?"))
    assert rewrite("What did she say?", history, STORM_PEOPLE, STORM_TEXT).question == (
        "What did Ana Silva say?"
    )


def test_it_is_what_the_previous_question_was_about() -> None:
    history = _turns(
        ("user", "What did the city council approve?"),
        ("assistant", "The article says: “The city council approved a budget.”"),
    )
    resolved = rewrite("When does it take effect?", history, [], things=True)
    assert resolved.question == "When does the city council take effect?"
    assert resolved.changed and resolved.person is None


def test_it_skips_a_person_for_the_object() -> None:
    text = "Mayor Ana Silva called the tax rise painful. It adds 4.9 per cent."
    history = _turns(("user", "What did Silva call the tax rise?"))
    resolved = rewrite("How big is it?", history, people_in(text), text, things=True)
    assert resolved.question == "How big is the tax rise?"


def test_their_inside_a_question_with_its_own_subject_is_left() -> None:
    history = _turns(("user", "When did the storm strike?"))
    resolved = rewrite("How many people had to leave their homes?", history, [], things=True)
    assert not resolved.changed and resolved.question.endswith("their homes?")


def test_ellipsis_is_completed_and_shown() -> None:
    history = _turns(("user", "When did the storm strike?"), ("assistant", "On Monday."))
    resolved = rewrite("Where?", history, [])
    assert resolved.question == "Where did the storm strike?" and resolved.changed


def test_what_else_names_what_was_already_quoted() -> None:
    history = _turns(
        ("user", "What did Kowalski say?"),
        ("assistant", "Anna Kowalski said: “We will not give up on the negotiations,”"),
    )
    resolved = rewrite("What else did she say?", history, OTHER_PEOPLE)
    assert resolved.question == "What else did Anna Kowalski say?"
    assert resolved.seen == ("We will not give up on the negotiations,",)


def test_a_standalone_question_is_not_changed() -> None:
    history = _turns(("user", "When did the storm strike?"))
    resolved = rewrite("Who ordered the evacuation?", history, STORM_PEOPLE, STORM_TEXT)
    assert resolved == rewrite("Who ordered the evacuation?", [], STORM_PEOPLE)
    assert not resolved.changed
