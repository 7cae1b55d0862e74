from qa.answer.followup.persons import people_only
from tests.conftest import people_in


def names(text: str) -> list[str]:
    return [person.name for person in people_only(people_in(text), text)]


def test_a_storm_and_an_agency_are_not_people() -> None:
    text = (
        "Storm Mirela struck on Monday. The Environment Agency said it was ready, "
        "and Ana Silva, who runs the shelter, agreed."
    )
    assert names(text) == ["Ana Silva"]


def test_a_pronoun_after_a_name_is_evidence() -> None:
    assert names("Larry Roberts founded it. He sold it later.") == ["Larry Roberts"]
    assert names("Red Rock Bridge opened in 1990. It cost a lot.") == []


def test_a_title_is_evidence() -> None:
    assert names("Mayor Tom Lee ordered the evacuation.") == ["Tom Lee"]
