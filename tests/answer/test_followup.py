from qa.answer.followup import rewrite
from qa.articles.people import find_people
from qa.ui.history import turns_from_messages as parse_history
from tests.conftest import ARTICLE_TEXT, FIXTURES

SEED_PEOPLE = find_people(ARTICLE_TEXT)
OTHER_PEOPLE = find_people((FIXTURES / "said_after.txt").read_text(encoding="utf-8"))


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
