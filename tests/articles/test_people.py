"""People from the parse: the fullest name, its shorter forms, and the titles before it."""

from qa.articles.nlp import read
from qa.articles.people import Named, named_in, people_of
from tests.conftest import people_in


def test_a_surname_is_an_alias_of_the_fullest_name_the_article_gives() -> None:
    people = people_in("Rebate row\n\nFrench president Jacques Chirac spoke. Later Chirac left.\n")
    (chirac,) = [p for p in people if p.name.endswith("Chirac")]
    assert chirac.name == "Jacques Chirac"
    assert {"Chirac", "Jacques"} <= set(chirac.aliases)
    assert "president" in chirac.roles


def test_honorifics_and_a_possessive_ending_are_not_part_of_the_name() -> None:
    found = read("Dr Doug Williams's archive opened, and Mr Blair's aide came.", named_in)
    assert [n.name for n in found] == ["Doug Williams", "Blair"]


def test_two_people_who_share_a_surname_stay_two() -> None:
    people = people_of(
        [Named("Anna Kowalski", 0, 13), Named("Marta Kowalski", 20, 34), Named("Kowalski", 40, 48)]
    )
    assert [p.name for p in people] == ["Anna Kowalski", "Marta Kowalski"]
    assert all("Kowalski" in p.aliases for p in people)


def test_middle_initials_stay_in_the_name_and_give_a_plain_alias() -> None:
    (danin,) = people_of([Named("Robert M. Danin", 0, 15), Named("Danin", 30, 35)])
    assert danin.name == "Robert M. Danin"
    assert {"Robert Danin", "Danin"} <= set(danin.aliases)


def test_places_and_organisations_are_not_people() -> None:
    text = "Talks\n\nCranfield University and the Home Office met near the River Thames.\n"
    assert people_in(text) == []
