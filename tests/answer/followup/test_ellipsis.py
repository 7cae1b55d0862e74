from qa.answer.followup.ellipsis import complete


def test_a_bare_wh_word_takes_the_previous_question() -> None:
    assert complete("When?", "Where did the storm strike?") == "When did the storm strike?"
    assert (
        complete("By whom?", "When was Dyrrachium betrayed?") == "By whom was Dyrrachium betrayed?"
    )


def test_why_not_keeps_the_negation() -> None:
    assert complete("Why not?", "Will NATO send troops?") == "Why will NATO not send troops?"


def test_a_lost_object_becomes_that() -> None:
    assert complete("Why?", "What did they decide?") == "Why did they decide that?"


def test_else_goes_after_the_wh_word() -> None:
    assert complete("What else?", "Who did he tell?") == "Who else did he tell?"


def test_other_short_turns_follow_the_previous_question() -> None:
    previous = "What two things does the budget pay for?"
    assert complete("And the second one?", previous) == f"{previous} And the second one?"
    assert complete("Why?", "Who ordered the evacuation?") == "Who ordered the evacuation? Why?"


def test_whole_questions_are_left_alone() -> None:
    for question in [
        "Who ordered the evacuation?",
        "And what did they rule out?",
        "Why did it rain?",
    ]:
        assert complete(question, "When did the storm strike?") is None
    assert complete("Where?", "") is None
