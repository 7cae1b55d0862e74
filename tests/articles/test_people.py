from qa.articles.people import find_people, resolve_name, strip_titles


def names(text: str) -> list[str]:
    return [p.name for p in find_people(text)]


def test_middle_initials_stay_in_the_name_and_give_a_plain_alias() -> None:
    people = find_people("The analyst Robert M. Danin spoke. Later Danin left.")
    assert [p.name for p in people] == ["Robert M. Danin"]
    assert {"Robert Danin", "Danin"} <= set(people[0].aliases)
    assert resolve_name("Danin", people) == "Robert M. Danin"


def test_everything_before_the_last_role_word_is_a_title() -> None:
    assert strip_titles("Palestinian Authority President Mahmoud Abbas".split()) == [
        "Mahmoud",
        "Abbas",
    ]
    assert strip_titles("Opposition Leader Bill Shorten".split()) == ["Bill", "Shorten"]
    # A role word that ends the run is a surname, not a title.
    assert strip_titles("Billie Jean King".split()) == ["Billie", "Jean", "King"]


def test_a_drop_capped_opening_word_and_hyphened_titles_go() -> None:
    assert names("AS Opposition Leader Bill Shorten said so.") == ["Bill Shorten"]
    assert names("Attorney-General George Brandis agreed.") == ["George Brandis"]


def test_organisations_and_places_are_not_people() -> None:
    text = "Cranfield University and the Home Office met near the River Thames with Jo Bloggs."
    assert names(text) == ["Jo Bloggs"]


def test_an_acronym_title_is_a_role() -> None:
    (person,) = find_people("Local MP James Whitfield wrote to the council.")
    assert person.name == "James Whitfield"
    assert "mp" in person.roles
