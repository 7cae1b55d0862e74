from qa.answer.followup.phrases import noun_phrase, object_phrase, shape


def test_shape_of_a_wh_question() -> None:
    form = shape("How many flood warnings did the agency issue?", "The agency issued")
    assert form is not None
    assert (form.wh, form.aux, form.subject, form.rest) == (
        "How many flood warnings",
        "did",
        "the agency",
        "issue",
    )


def test_a_wh_subject_has_no_auxiliary() -> None:
    form = shape("Who ordered the evacuation?")
    assert form is not None and (form.wh, form.aux, form.rest) == (
        "Who",
        "",
        "ordered the evacuation",
    )
    had = shape("How many people had to leave?")
    assert had is not None and had.aux == ""


def test_a_yes_no_question_and_a_fragment() -> None:
    form = shape("Will NATO send ground forces?")
    assert form is not None and (form.aux, form.subject) == ("Will", "NATO")
    assert shape("And the second one?") is None


def test_the_reference_text_says_where_a_noun_phrase_ends() -> None:
    words = "the malaria vaccine cut child deaths".split()
    assert noun_phrase(words, "A new malaria vaccine reduced deaths") == "the malaria vaccine"
    assert noun_phrase(["she", "say"]) == "she"
    assert object_phrase("call the tax rise", "the tax rise") == "the tax rise"
